"""Words of the drafts' journeys that the participant's and the organizer's modules share:
the errors, a chapter's label, a clause's heading and its text cut into message-sized pieces."""

from html import escape

from aiogram.utils.i18n import gettext as _

from bot.services.drafts import WORDING
from bot.services.drafts.parsing import split_long
from bot.services.errors import InvalidInput
from db.models import Draft, DraftClause, DraftComment
from handlers.common import explain

CLAUSE_PIECE = 3500  # of the clause's own text per message, leaving room for the heading


def explain_draft(error: InvalidInput) -> str:
    messages = {
        "draft_not_found": _("This draft is not available."),
        "clause_not_found": _("This clause is not available."),
        "comment_not_found": _("This comment is not available."),
        "discussion_closed": _(
            "The discussion of this draft is closed: comments are no longer accepted."
        ),
        "registration_required": _("To comment, first register as a participant: send /start."),
        "comment_empty": _("The text is empty. Please write your comment."),
        "comment_too_long": _(
            "That is too long ({length} characters): please keep it within {maximum}."
        ),
        "own_comment": _("This is your own comment."),
        "already_supported": _("You already support this comment."),
    }
    if error.reason in messages:
        return messages[error.reason].format(**error.details)
    return explain(error)


def chapter_label(title: str) -> str:
    return title or _("Text without a heading")


def clause_heading(draft: Draft, clause: DraftClause, locale: str) -> str:
    lines = [f"📜 {escape(draft.title(locale), quote=False)}"]
    chapter = clause.chapter_title(locale)
    if chapter:
        lines.append(f"<i>{escape(chapter, quote=False)}</i>")
    section = clause.section_title(locale)
    if section:
        lines.append(f"<i>{escape(section, quote=False)}</i>")
    lines.append("")
    lines.append(_("<b>Clause {number}</b>").format(number=escape(clause.number, quote=False)))
    return "\n".join(lines)


def pieces(text: str, limit: int = CLAUSE_PIECE) -> list[str]:
    """The clause's text escaped for HTML in pieces a message holds, cut between paragraphs
    or sentences, never inside a word."""
    result: list[str] = []
    for piece in split_long(text, limit):
        escaped = escape(piece, quote=False)
        result += pieces(piece, limit // 2) if len(escaped) > limit + 500 else [escaped]
    return result


def comment_label(comment: DraftComment) -> str:
    return _("✏️ Proposed wording") if comment.kind == WORDING else _("💬 Comment")
