"""The outcome document of one event as DOCX, laid out like the records in the seeds: the event,
who took part, and the received proposals grouped by topic with region, support and status.

Words come from gettext: call `build` inside `i18n.use_locale(locale)` (the organizer's chosen
language). A forwarded proposal also shows the agency it went to and that agency's answer."""

import io
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import format_day
from bot.notices.polls import distribution_text, rating_text
from bot.notices.proposals import status_name
from bot.services import events, summaries, surveys
from bot.services import proposals as proposals_service
from db.models import (
    Agency,
    AgencyAnswer,
    Event,
    EventKind,
    Forwarding,
    Proposal,
    Region,
    Topic,
    User,
)


async def add_survey(document: Any, session: AsyncSession, event_id: int, locale: str) -> None:
    """The participants' assessment from the survey after the event: average rating, how
    the ratings spread, and every open answer (without names)."""
    results = await surveys.results(session, event_id)
    if not results.answered:
        return
    document.add_heading(_("Participants' assessment"), level=2)
    document.add_paragraph(
        _("Asked: {asked}, answered: {answered}").format(
            asked=results.asked, answered=results.answered
        )
    )
    if results.average is not None:
        document.add_paragraph(
            _("Average rating: {average} of 5").format(average=rating_text(results.average, locale))
        )
        document.add_paragraph(_("Ratings: {list}").format(list=distribution_text(results)))
    if results.comments:
        document.add_paragraph(_("Open answers:"))
        for comment in results.comments:
            document.add_paragraph(comment, style="List Bullet")


def _breakdown(counter: dict[str, int]) -> str:
    items = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return "; ".join(f"{name} — {count}" for name, count in items)


async def received_proposals(session: AsyncSession, event_id: int) -> list[Proposal]:
    """The event's proposals that passed moderation (one still waiting is not public yet)."""
    query = select(Proposal).where(
        Proposal.event_id == event_id,
        Proposal.status.not_in(summaries.NOT_RECEIVED),
        Proposal.status.in_(proposals_service.PUBLIC_STATUSES),
        Proposal.merged_into_id.is_(None),
    )
    return list(await session.scalars(query.order_by(Proposal.id)))


async def author_names(session: AsyncSession, items: list[Proposal]) -> dict[int, str]:
    """Proposal id -> its author's name, for those who chose to publish under their name."""
    named = {p.id: p.author_id for p in items if not p.is_anonymous}
    if not named:
        return {}
    rows = await session.execute(
        select(User.id, User.full_name).where(User.id.in_(set(named.values())))
    )
    names = {user_id: name for user_id, name in rows if name}
    return {pid: names[uid] for pid, uid in named.items() if uid in names}


async def agency_answers(
    session: AsyncSession, proposal_ids: list[int], locale: str
) -> dict[int, tuple[str, str | None]]:
    """Proposal id -> (the agency it went to last, its answer or None)."""
    if not proposal_ids:
        return {}
    query = (
        select(Forwarding.proposal_id, Agency, AgencyAnswer.text)
        .join(Agency, Agency.id == Forwarding.agency_id)
        .outerjoin(AgencyAnswer, AgencyAnswer.forwarding_id == Forwarding.id)
        .where(Forwarding.proposal_id.in_(proposal_ids))
        .order_by(Forwarding.id)
    )
    found: dict[int, tuple[str, str | None]] = {}
    for proposal_id, agency, answer in await session.execute(query):
        found[proposal_id] = (agency.name(locale), answer)
    return found


async def build(session: AsyncSession, event: Event, locale: str, tz: ZoneInfo) -> bytes:
    kind = await session.get(EventKind, event.kind_code)
    figures = await events.stats(session, event.id, locale)
    from docx import Document  # with lxml: imported on first use, to keep an idle bot small

    document = Document()
    document.add_heading(f"«{event.title(locale)}»", level=1)
    document.add_paragraph(kind.name(locale) if kind else event.kind_code)

    place = ", ".join(part for part in (event.venue, event.online_url) if part)
    document.add_paragraph(
        _("Date and place: {day}, {place}").format(
            day=format_day(event.starts_at, locale, tz), place=place or "—"
        )
    )

    document.add_heading(_("Participation"), level=2)
    document.add_paragraph(
        _("Number of participants: {count}, {women} women and {men} men.").format(
            count=figures.registered, women=figures.women, men=figures.men
        )
    )
    if figures.attended:
        document.add_paragraph(_("Attended: {count}").format(count=figures.attended))
    if figures.by_category:
        document.add_paragraph(
            _("By stakeholder category: {list}").format(list=_breakdown(figures.by_category))
        )
    if figures.by_country:
        document.add_paragraph(
            _("Countries of those abroad: {list}").format(list=_breakdown(figures.by_country))
        )

    await add_survey(document, session, event.id, locale)  # issue 19
    proposals = await received_proposals(session, event.id)
    document.add_heading(_("Received proposals: {count}").format(count=len(proposals)), level=2)
    topics = {t.code: t for t in await session.scalars(select(Topic).order_by(Topic.sort_order))}
    regions = {r.code: r for r in await session.scalars(select(Region))}
    answers = await agency_answers(session, [p.id for p in proposals], locale)
    authors = await author_names(session, proposals)
    for code, topic in topics.items():
        in_topic = [p for p in proposals if p.topic_code == code]
        if not in_topic:
            continue
        document.add_heading(topic.name(locale), level=3)
        for proposal in in_topic:
            region = regions.get(proposal.region_code)
            item = document.add_paragraph(style="List Number")
            item.add_run(proposal.text)
            if proposal.id in authors:
                item.add_run("\n" + _("Author: {name}").format(name=authors[proposal.id]))
            item.add_run(
                "\n"
                + _("Region: {region}. Supported by: {count}. Status: {status}.").format(
                    region=region.name(locale) if region else proposal.region_code,
                    count=proposal.support_count,
                    status=status_name(proposal.status),
                )
            ).italic = True
            if proposal.id in answers:
                agency, answer = answers[proposal.id]
                item.add_run("\n" + _("Sent to: {agency}.").format(agency=agency))
                if answer:
                    item.add_run("\n" + _("Answer: {answer}").format(answer=answer))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
