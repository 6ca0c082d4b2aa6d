"""Drafts for the public site's tests, written through the services: one whose discussion is
over with comments decided (one by an author who chose to be named, one anonymous, one by an
anonymous author abroad whose country was typed by hand), one still open, and one never
published (waiting for the organizer's confirmation)."""

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.drafts import ACCEPTED, COMMENT, REJECTED, WORDING, comments, publishing
from bot.services.drafts.structure import ParsedChapter, ParsedClause, ParsedDraft, ParsedSection
from bot.services.public import draft_clauses
from db.models import Agency, User, utcnow


@dataclass
class DraftIds:
    closed: int
    open: int
    pending: int
    named_comment: str = "1.1-беренеге: жергиликтүү бюджеттерди көбөйтүү керек."
    anonymous_comment: str = "2.1-беренеге аноним пикир: мөөнөттү узартуу керек."
    typed_comment: str = "Чет өлкөдөн пикир: мигранттар үчүн өзүнчө берене керек."
    decision_reason: str = "Сунуш концепциянын максаттарына туура келет."


def parsed() -> ParsedDraft:
    return ParsedDraft(
        [
            ParsedChapter(
                "1. Жалпы жоболор",
                [
                    ParsedSection(
                        "",
                        [
                            ParsedClause("1.1", "Региондук саясат бардык аймактарга тиешелүү."),
                            ParsedClause("1.2", "Концепция 2030-жылга чейин ишке ашат."),
                        ],
                    )
                ],
            ),
            ParsedChapter(
                "2. Ишке ашыруу",
                [ParsedSection("", [ParsedClause("2.1", "Мөөнөтү: беш жыл.")])],
            ),
        ],
        has_headings=True,
    )


async def add_drafts(
    session: AsyncSession,
    agency: Agency,
    organizer: User,
    named: User,
    hidden: User,
    typed: User,
    tz: ZoneInfo,
) -> DraftIds:
    now = utcnow()
    closes_on = (now + timedelta(days=20)).date()

    async def draft(title_ky: str, title_ru: str | None, confirm: bool) -> int:
        form = publishing.DraftForm(title_ky, title_ru, agency.id, closes_on)
        created = await publishing.create_pending(session, form, parsed(), organizer, now, tz)
        if confirm:
            await publishing.confirm(session, created, now)
        return created.id

    ids = DraftIds(
        closed=await draft("Региондук саясат", "Региональная политика", True),
        open=await draft("Суу кодекси", "Водный кодекс", True),
        pending=await draft("КУПУЯ-ДОЛБООР жарыялана элек", None, False),
    )
    clauses = {
        (draft_id, c.number): c.id
        for draft_id in (ids.closed, ids.open)
        for c in await draft_clauses(session, draft_id)
    }

    async def comment(author: User, number: str, text: str, show: bool, kind: str = COMMENT) -> int:
        reason = "Себеби: так жазылышы керек." if kind == WORDING else None
        new = comments.NewComment(clauses[(ids.closed, number)], kind, text, reason, show)
        return (await comments.add(session, author, new, now)).id

    first = await comment(named, "1.1", ids.named_comment, True)
    second = await comment(hidden, "2.1", ids.anonymous_comment, False)
    await comment(typed, "1.2", ids.typed_comment, False, WORDING)
    await comments.decide(session, first, ACCEPTED, ids.decision_reason, organizer, now)
    await comments.decide(session, second, REJECTED, "Мөөнөт мыйзамда белгиленген.", organizer, now)
    still_open = clauses[(ids.open, "1.1")]
    await comments.add(
        session, hidden, comments.NewComment(still_open, COMMENT, "Пикир.", None, False), now
    )
    closed = await publishing.get_published(session, ids.closed)
    # The period is over: time moves on (the services refuse a closing day in the past).
    closed.opens_at, closed.closes_at = now - timedelta(days=30), now - timedelta(days=1)
    await session.flush()
    return ids
