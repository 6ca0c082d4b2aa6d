"""What authors and supporters are told about proposals, and the status names."""

from html import escape
from typing import Any

from aiogram.utils.i18n import gettext as _

from bot.i18n import N_
from bot.notices.registry import Notice, notice

# DOMAIN.md's names of the statuses.
STATUS_NAMES = {
    "submitted": N_("Under moderation"),
    "published": N_("Published"),
    "rejected": N_("Rejected"),
    "withdrawn": N_("Withdrawn by the author"),
    "forwarded": N_("Forwarded to the responsible agency"),
    "returned": N_("Returned by the agency"),
    "answered": N_("Answered"),
    "accepted": N_("Accepted"),
    "partially-accepted": N_("Partially accepted"),
    "declined": N_("Not supported"),
    "implemented": N_("Implemented"),
}


def status_name(status: str) -> str:
    return _(STATUS_NAMES[status]) if status in STATUS_NAMES else status


@notice("proposal_status")
def proposal_status(params: dict[str, Any], locale: str) -> Notice:
    lines = [
        _("Your proposal #{id} has a new status: <b>{status}</b>.").format(
            id=params["proposal_id"], status=status_name(params["status"])
        )
    ]
    note = params.get("note")
    if note:
        lines.append(_("Reason: {reason}").format(reason=escape(note, quote=False)))
    lines.append(_("All your proposals: /myproposals"))
    return Notice("\n".join(lines))


@notice("proposal_merged")
def proposal_merged(params: dict[str, Any], locale: str) -> Notice:
    return Notice(
        _(
            "Proposal #{from_id} repeated proposal #{into_id}, so they were joined: "
            "its supporters now support #{into_id}. Open it: /p{into_id}"
        ).format(from_id=params["from_id"], into_id=params["into_id"])
    )
