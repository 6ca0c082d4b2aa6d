"""The agency follow-up sweep (bot/scheduler.py) with a simulated clock and settings from
Settings; every agency notice renders in Kyrgyz and Russian."""

from datetime import timedelta

from sqlalchemy import select

from bot.i18n import create_i18n
from bot.scheduler import SWEEPS, sweep_agency_followup
from bot.services import agencies
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade_to_head
from db.models import OutboxMessage
from db.seed import seed_reference_data
from tests.harness import make_settings
from tests.test_agency_services import MONDAY, TZ, proposal, setup
from tests.test_event_reminders import SweepApp, rendered


async def test_sweep_reminds_escalates_and_renders_in_both_languages(database_url: str) -> None:
    assert (sweep_agency_followup, 300) in SWEEPS
    settings = make_settings(database_url, "http://127.0.0.1:1")
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    factory = create_session_factory(engine)
    async with factory() as session:
        await seed_reference_data(session)
        agency, organizer, rep = await setup(session)
        item = await agencies.forward(
            session, await proposal(session), agency, organizer, TZ, now=MONDAY
        )
        answered = await agencies.forward(
            session, await proposal(session), agency, organizer, TZ, now=MONDAY
        )
        await agencies.extend(session, answered.id, rep, 2, "Маалымат керек", TZ, now=MONDAY)
        await agencies.answer(
            session,
            answered.id,
            rep,
            "Кабыл алынды",
            "in-progress",
            next_update_on=(MONDAY + timedelta(days=30)).date(),
            now=MONDAY,
        )
        await agencies.return_to_organizers(
            session,
            (
                await agencies.forward(
                    session, await proposal(session), agency, organizer, TZ, now=MONDAY
                )
            ).id,
            rep,
            "Биздин иш эмес",
            [organizer.id],
            now=MONDAY,
        )
        await session.commit()
        due = item.due_at
    app = SweepApp(settings, factory)
    assert await sweep_agency_followup(app, now=due - timedelta(days=3)) >= 1  # before + digest
    assert await sweep_agency_followup(app, now=due - timedelta(days=3)) == 0
    await sweep_agency_followup(app, now=due + timedelta(days=7, hours=1))  # down since before
    i18n = create_i18n(settings.locales_dir)
    async with factory() as session:
        messages = list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    mine = [m for m in messages if m.template.startswith("agency_")]
    reminders = [m.params["slot"] for m in mine if m.template == "agency_reminder"]
    assert reminders == ["before", "late2"]
    assert {m.template for m in mine} >= {
        "agency_item",
        "agency_reminder",
        "agency_escalation",
        "agency_returned",
        "agency_extension",
        "agency_answer",
        "agency_digest",
    }
    for message in mine:
        ky, ru = rendered(i18n, message, "ky"), rendered(i18n, message, "ru")
        assert ky != ru
        if message.template == "agency_escalation":
            assert "мөөнөтү 7 күнгө өтүп кетти" in ky and "просрочено на 7 дней" in ru
        if message.template == "agency_answer":
            assert "иштелип жатат" in ky and "в работе" in ru
    await engine.dispose()
