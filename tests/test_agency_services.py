"""Agencies against the real database: invitations, due dates in calendar and working days
across a holiday, reminders before/on/after the due date with a simulated clock, catching up
after downtime, escalation, not-our-competence and re-forward, extension, answers reaching
author and supporters, the satisfaction question."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import agencies
from bot.services.agencies import Schedule
from bot.services.errors import InvalidInput, NotAllowed
from db.models import Agency, OutboxMessage, Proposal, ProposalSupport
from tests.test_event_services import person, session

__all__ = ["session"]

TZ = ZoneInfo("Asia/Bishkek")
S = Schedule()
MONDAY = datetime(2027, 3, 15, 6, 0, tzinfo=UTC)  # 12:00 in Bishkek; 21 March is a Sunday


async def proposal(
    session: AsyncSession, topic: str = "education", language: str = "ky"
) -> Proposal:
    author = await person(session, language=language)
    row = Proposal(
        author_id=author.id,
        topic_code=topic,
        region_code="batken",
        text="Мектеп",
        status="published",
    )
    session.add(row)
    await session.flush()
    return row


async def setup(session: AsyncSession, working: bool = False):  # type: ignore[no-untyped-def]
    agency = await agencies.add_agency(
        session, "test", "Тест агенттиги", "Тестовое агентство", 14, working
    )
    organizer = await person(session, language="ru")
    organizer.is_organizer = True
    rep = await person(session, language="ky")
    _, token = await agencies.create_invitation(session, agency, organizer, now=MONDAY)
    await agencies.accept_invitation(session, token, rep, now=MONDAY)
    return agency, organizer, rep


async def outbox(session: AsyncSession, template: str) -> list[OutboxMessage]:
    return list(
        await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.template == template)
            .order_by(OutboxMessage.id)
        )
    )


async def test_invitation_is_single_use_and_expires(session: AsyncSession) -> None:
    agency, organizer, rep = await setup(session)
    assert await agencies.is_representative(session, rep, agency.id)
    other = await person(session)
    invitation, token = await agencies.create_invitation(session, agency, organizer, now=MONDAY)
    with pytest.raises(InvalidInput):
        await agencies.accept_invitation(session, token, other, now=MONDAY + timedelta(days=8))
    await agencies.accept_invitation(session, token, other, now=MONDAY + timedelta(days=6))
    with pytest.raises(InvalidInput):
        await agencies.accept_invitation(session, token, await person(session), now=MONDAY)
    _, revoked = await agencies.create_invitation(session, agency, organizer, now=MONDAY)
    [open_one] = await agencies.open_invitations(session, agency.id, MONDAY)
    await agencies.revoke_invitation(session, open_one.id, MONDAY)
    with pytest.raises(InvalidInput):
        await agencies.accept_invitation(session, revoked, other, now=MONDAY)
    with pytest.raises(InvalidInput):
        await agencies.accept_invitation(session, "guess", other, now=MONDAY)
    assert invitation.token_hash != token


async def test_due_dates_calendar_and_working_days_across_a_holiday(session: AsyncSession) -> None:
    agency, _, _ = await setup(session)
    calendar = await agencies.due_after(session, agency, MONDAY, TZ)
    assert calendar.astimezone(TZ).date() == date(2027, 3, 29)
    agency.answer_days, agency.working_days = 5, True
    # Mon 15 March + 5 working days = Mon 22 March (21 March, Nooruz, falls on a Sunday)
    assert (await agencies.due_after(session, agency, MONDAY, TZ)).astimezone(TZ).date() == date(
        2027, 3, 22
    )
    # from Wed 3 March: 4,5 | 8 March holiday | 9,10,11 → Thu 11 March
    start = datetime(2027, 3, 3, 6, tzinfo=UTC)
    assert (await agencies.due_after(session, agency, start, TZ)).astimezone(TZ).date() == date(
        2027, 3, 11
    )


async def test_reminders_before_on_and_after_due_and_escalation(session: AsyncSession) -> None:
    agency, organizer, _ = await setup(session)
    item = await agencies.forward(
        session, await proposal(session), agency, organizer, TZ, now=MONDAY
    )
    assert len(await outbox(session, "agency_item")) == 1
    due = item.due_at
    sent: list[str] = []
    clock = MONDAY
    while clock < due + timedelta(days=10):
        clock += timedelta(hours=6)
        await agencies.queue_due_reminders(session, clock, S)
        await agencies.queue_due_reminders(session, clock, S)  # twice: nothing twice
        await agencies.queue_escalations(session, clock, [organizer.id])
    sent = [m.params["slot"] for m in await outbox(session, "agency_reminder")]
    assert sent == ["before", "due", "late1", "late2", "late3"]
    assert len(await outbox(session, "agency_escalation")) == 1


async def test_catching_up_after_downtime_sends_one_per_item(session: AsyncSession) -> None:
    agency, organizer, rep = await setup(session)
    items = [
        await agencies.forward(session, await proposal(session), agency, organizer, TZ, now=MONDAY)
        for _ in range(3)
    ]
    answered = items[2]
    await agencies.answer(
        session, answered.id, rep, "Жооп", "accepted", now=MONDAY + timedelta(days=1)
    )
    later = items[0].due_at + timedelta(days=8)  # down through "before", "due", "late1", "late2"
    assert await agencies.queue_due_reminders(session, later, S) == 2
    assert await agencies.queue_due_reminders(session, later + timedelta(hours=1), S) == 0
    slots = {
        m.params["forwarding_id"]: m.params["slot"]
        for m in await outbox(session, "agency_reminder")
    }
    assert slots == {items[0].id: "late2", items[1].id: "late2"}


async def test_not_our_competence_then_forward_elsewhere(session: AsyncSession) -> None:
    agency, organizer, rep = await setup(session)
    row = await proposal(session)
    item = await agencies.forward(session, row, agency, organizer, TZ, now=MONDAY)
    with pytest.raises(NotAllowed):
        await agencies.return_to_organizers(
            session, item.id, await person(session), "x", [organizer.id]
        )
    with pytest.raises(InvalidInput):
        await agencies.return_to_organizers(session, item.id, rep, " ", [organizer.id])
    await agencies.return_to_organizers(
        session, item.id, rep, "Биздин иш эмес", [organizer.id], now=MONDAY
    )
    assert row.status == "returned" and item.next_reminder_at is None
    [note] = await outbox(session, "agency_returned")
    assert note.user_id == organizer.id and note.params["reason"] == "Биздин иш эмес"
    other = await agencies.add_agency(session, "other", "Башка", "Другое")
    await agencies.forward(session, row, other, organizer, TZ, now=MONDAY)
    assert row.status == "forwarded"
    assert await agencies.queue_due_reminders(session, item.due_at + timedelta(days=1), S) == 0


async def test_extension_once_with_reason_the_author_sees(session: AsyncSession) -> None:
    agency, organizer, rep = await setup(session)
    row = await proposal(session)
    item = await agencies.forward(session, row, agency, organizer, TZ, now=MONDAY)
    old_due = item.due_at
    with pytest.raises(InvalidInput):
        await agencies.extend(session, item.id, rep, 15, "көп", TZ)
    await agencies.extend(session, item.id, rep, 7, "Маалымат чогултулууда", TZ, now=MONDAY)
    assert item.due_at == old_due + timedelta(days=7)
    [note] = await outbox(session, "agency_extension")
    assert note.user_id == row.author_id and note.params["reason"] == "Маалымат чогултулууда"
    with pytest.raises(InvalidInput):
        await agencies.extend(session, item.id, rep, 3, "дагы", TZ)


async def test_answer_reaches_author_and_supporters_then_satisfaction(
    session: AsyncSession,
) -> None:
    agency, organizer, rep = await setup(session)
    row = await proposal(session)
    supporters = [await person(session, language=lang) for lang in ("ky", "ru")]
    for s in supporters:
        session.add(ProposalSupport(proposal_id=row.id, user_id=s.id))
    item = await agencies.forward(session, row, agency, organizer, TZ, now=MONDAY)
    with pytest.raises(InvalidInput):
        await agencies.answer(session, item.id, rep, "Иштелүүдө", "in-progress", now=MONDAY)
    reply = await agencies.answer(
        session, item.id, rep, "Кабыл алынды", "accepted", document_file_id="doc1", now=MONDAY
    )
    assert row.status == "accepted"
    told = {m.user_id for m in await outbox(session, "agency_answer")}
    assert told == {row.author_id, *(s.id for s in supporters)}
    assert await agencies.queue_satisfaction_questions(session, MONDAY + timedelta(days=6)) == 0
    assert await agencies.queue_satisfaction_questions(session, MONDAY + timedelta(days=7)) == 1
    assert await agencies.queue_satisfaction_questions(session, MONDAY + timedelta(days=8)) == 0
    author = await session.get(type(supporters[0]), row.author_id)
    with pytest.raises(NotAllowed):
        await agencies.record_satisfaction(session, reply.id, supporters[0], True)
    await agencies.record_satisfaction(session, reply.id, author, True)
    figures = await agencies.figures(session, agency.id, MONDAY)
    assert (figures.forwarded, figures.answered, figures.satisfied_share) == (1, 1, 1.0)
    assert await agencies.queue_weekly_digests(session, MONDAY, [organizer.id]) >= 1
    assert await agencies.queue_weekly_digests(session, MONDAY, [organizer.id]) == 0


async def test_unrouted_and_open_items_overdue_first(session: AsyncSession) -> None:
    agency, organizer, rep = await setup(session)
    assert isinstance(agency, Agency)
    first = await agencies.forward(
        session, await proposal(session), agency, organizer, TZ, now=MONDAY
    )
    earlier = await agencies.forward(
        session, await proposal(session), agency, organizer, TZ, now=MONDAY - timedelta(days=20)
    )
    assert [f.id for f in await agencies.open_items(session, rep)] == [earlier.id, first.id]
    assert agencies.overdue_days(earlier.due_at, MONDAY, TZ) == 6
    await agencies.set_route(session, "education", None)
    lonely = await proposal(session, "education")
    assert lonely.id in {p.id for p in await agencies.unrouted(session)}


async def test_organizers_add_a_holiday_edit_and_retire(session: AsyncSession) -> None:
    agency, organizer, _ = await setup(session)
    await agencies.edit_agency(session, agency, answer_days=1, working_days=True)
    friday = datetime(2027, 3, 12, 6, tzinfo=UTC)
    assert (await agencies.due_after(session, agency, friday, TZ)).astimezone(TZ).date() == date(
        2027, 3, 15
    )
    await agencies.add_holiday(session, date(2027, 3, 15), "Орозо айт", "Орозо айт")
    assert (await agencies.due_after(session, agency, friday, TZ)).astimezone(TZ).date() == date(
        2027, 3, 16
    )
    with pytest.raises(InvalidInput):
        await agencies.edit_agency(session, agency, answer_days=0)
    await agencies.retire_agency(session, agency)
    with pytest.raises(InvalidInput):
        await agencies.forward(session, await proposal(session), agency, organizer, TZ, now=MONDAY)
