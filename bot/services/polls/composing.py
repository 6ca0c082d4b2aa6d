"""A poll's question and options checked against Telegram's limits, its audience counted, and
the poll started: one copy per person in the outbox; an event's proposals as options to rank."""

from typing import Any, cast

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import broadcasts, outbox
from bot.services.broadcasts import Audience
from bot.services.errors import InvalidInput
from bot.services.polls.limits import OPTION_MAX, OPTIONS_MAX, OPTIONS_MIN, QUESTION_MAX
from bot.services.proposals import PUBLIC_STATUSES
from db.models import Poll, Proposal, Registration, User


def check_question(text: str | None) -> str | None:
    text = (text or "").strip()
    if not text:
        return None
    if len(text) > QUESTION_MAX:
        raise InvalidInput("poll_question_too_long", length=len(text), limit=QUESTION_MAX)
    return text


def parse_options(text: str) -> list[str]:
    """One option a line. An empty line between options, too few or too many options, one
    longer than Telegram allows, or the same option twice: refused with the reason."""
    lines = [line.strip() for line in text.strip().splitlines()]
    for number, line in enumerate(lines, start=1):
        if not line:
            raise InvalidInput("poll_option_empty", number=number)
        if len(line) > OPTION_MAX:
            raise InvalidInput(
                "poll_option_too_long", number=number, length=len(line), limit=OPTION_MAX
            )
    if len(lines) > OPTIONS_MAX:
        raise InvalidInput("poll_too_many_options", count=len(lines), limit=OPTIONS_MAX)
    if len(lines) < OPTIONS_MIN:
        raise InvalidInput("poll_too_few_options", minimum=OPTIONS_MIN)
    if len({line.casefold() for line in lines}) != len(lines):
        raise InvalidInput("poll_option_duplicate")
    return lines


def combine_options(ky: list[str] | None, ru: list[str] | None) -> list[dict[str, Any]]:
    if not ky and not ru:
        raise InvalidInput("poll_options_missing")
    if ky and ru and len(ky) != len(ru):
        raise InvalidInput("poll_options_mismatch", ky=len(ky), ru=len(ru))
    count = len(ky or ru or [])
    return [
        {key: value[i] for key, value in (("ky", ky), ("ru", ru)) if value} for i in range(count)
    ]


def audience_query(audience: Audience) -> Select[int]:
    """An announcement audience, or those checked in at an event (the people in the hall)."""
    if audience.kind == "checked_in":
        in_hall = select(Registration.user_id).where(
            Registration.event_id == int(audience.value or 0),
            Registration.status == "registered",
            Registration.attended_at.is_not(None),
        )
        return select(User.id).where(
            User.registered_at.is_not(None), User.is_reachable, User.id.in_(in_hall)
        )
    return broadcasts.audience_query(audience)


async def count_audience(session: AsyncSession, audience: Audience) -> int:
    subquery = audience_query(audience).subquery()
    return await session.scalar(select(func.count()).select_from(subquery)) or 0


async def start(
    session: AsyncSession,
    *,
    author: User,
    question_ky: str | None,
    question_ru: str | None,
    options: list[dict[str, Any]],
    allows_multiple: bool,
    is_anonymous: bool,
    audience: Audience,
    kind: str = "question",
    part: int = 1,
    parts: int = 1,
    notes: dict[str, str] | None = None,
) -> Poll:
    """Creates the poll and one outbox row per recipient, in the caller's transaction."""
    question_ky, question_ru = check_question(question_ky), check_question(question_ru)
    if not question_ky and not question_ru:
        raise InvalidInput("poll_question_empty")
    if not OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
        raise InvalidInput("poll_too_many_options", count=len(options), limit=OPTIONS_MAX)
    recipients = list(await session.scalars(audience_query(audience).order_by(User.id)))
    if not recipients:
        raise InvalidInput("audience_empty")
    # An event audience with recipients names its event.
    event_id = int(cast(str, audience.value)) if audience.kind in ("event", "checked_in") else None
    poll = Poll(
        author_id=author.id,
        event_id=event_id,
        question_ky=question_ky,
        question_ru=question_ru,
        options=options,
        allows_multiple=allows_multiple,
        is_anonymous=is_anonymous,
        kind=kind,
        part=part,
        parts=parts,
        audience=audience.as_dict(),
        total=len(recipients),
        status="open",
        results_chat_id=author.telegram_id,
    )
    session.add(poll)
    await session.flush()
    rows = [
        outbox.new_row(
            user_id=user_id,
            kind="poll",
            template="poll",
            params={"poll_id": poll.id, "user_id": user_id, "note": notes or {}},
            dedupe_key=f"poll:{poll.id}:{user_id}",
        )
        for user_id in recipients
    ]
    await outbox.enqueue_many(session, rows)
    return poll


async def rank_options(session: AsyncSession, event_id: int) -> list[dict[str, Any]]:
    """An event's published proposals as poll options (one text for both languages)."""
    query = (
        select(Proposal)
        .where(
            Proposal.event_id == event_id,
            Proposal.status.in_(PUBLIC_STATUSES),
            Proposal.merged_into_id.is_(None),
        )
        .order_by(Proposal.support_count.desc(), Proposal.id)
    )
    options = []
    for proposal in await session.scalars(query):
        label = f"№{proposal.id}: {' '.join(proposal.text.split())}"
        if len(label) > OPTION_MAX:
            label = label[: OPTION_MAX - 1].rstrip() + "…"
        options.append({"ky": label, "ru": label, "proposal_id": proposal.id})
    return options


def pages(options: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Options in as few polls as Telegram allows, evenly filled (25 → 9, 8, 8)."""
    if not options:
        return []
    count = -(-len(options) // OPTIONS_MAX)
    size, extra = divmod(len(options), count)
    result, start_at = [], 0
    for i in range(count):
        end = start_at + size + (1 if i < extra else 0)
        result.append(options[start_at:end])
        start_at = end
    return result
