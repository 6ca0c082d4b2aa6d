"""Agencies end to end against the fake Bot API server, in Kyrgyz and Russian: invitation
links bind representatives once; a forwarded proposal is answered, the author and supporters
are told, and a week later the author answers "Did this answer your proposal?"."""

from datetime import timedelta

from sqlalchemy import select

from bot.notices import render
from bot.scheduler import sweep_agency_followup
from bot.services import agencies
from db.models import Agency, OutboxMessage, Proposal, ProposalSupport, User, utcnow
from tests.e2e import person, texts
from tests.harness import ADMIN_ID, RunningBot
from tests.test_events_e2e import seed_people


async def test_invitation_answer_and_satisfaction_in_both_languages(
    running_bot: RunningBot, telegram
) -> None:
    people = await seed_people(running_bot)
    app = running_bot.app
    assert app is not None
    async with app.session_factory() as session:
        organizer = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
        assert organizer is not None
        agency = await session.scalar(select(Agency).where(Agency.is_active.is_(True)).limit(1))
        assert agency is not None
        _, token_ky = await agencies.create_invitation(session, agency, organizer)
        _, token_ru = await agencies.create_invitation(session, agency, organizer)
        await session.commit()
        agency_id, name_ky, name_ru = agency.id, agency.name_ky, agency.name_ru

    aigul = person(telegram, 2001, "ky", "Айгүл")
    olga = person(telegram, 2002, "ru", "Ольга")
    bakyt = person(telegram, 2003, "ky", "Бакыт")
    reply = await aigul.send(f"/start ag_{token_ky}")
    assert f"Мамлекеттик орган: {name_ky}." in texts(reply)
    reply = await olga.send(f"/start ag_{token_ky}")  # used already
    assert "Эта ссылка-приглашение не работает" in texts(reply)
    reply = await olga.send(f"/start ag_{token_ru}")
    assert f"Теперь вы представитель: {name_ru}" in texts(reply)
    reply = await bakyt.send("/start ag_guessed-token")
    assert "Бул чакыруу шилтемеси иштебейт" in texts(reply)

    async with app.session_factory() as session:
        row = Proposal(
            author_id=people[2003].id,
            topic_code="education",
            region_code="batken",
            text="Баткендеги мектептерге мугалим тартуу",
            status="published",
        )
        session.add(row)
        await session.flush()
        session.add(ProposalSupport(proposal_id=row.id, user_id=people[2002].id))
        agency = await session.get(Agency, agency_id)
        assert agency is not None
        item = await agencies.forward(session, row, agency, organizer, app.settings.tz)
        rep = await session.get(User, people[2001].id)
        assert rep is not None
        reply_row = await agencies.answer(session, item.id, rep, "Кабыл алынды", "accepted")
        await session.commit()
        answer_id = reply_row.id
    async with app.session_factory() as session:
        told = list(
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.template == "agency_answer")
            )
        )
    assert {m.user_id for m in told} == {people[2003].id, people[2002].id}

    await sweep_agency_followup(app, now=utcnow() + timedelta(days=6))  # too early: no question
    await sweep_agency_followup(app, now=utcnow() + timedelta(days=7, minutes=1))
    async with app.session_factory() as session:
        [question] = list(
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.template == "agency_satisfaction")
            )
        )
    assert question.user_id == people[2003].id
    with running_bot.i18n.context(), running_bot.i18n.use_locale("ky"):
        notice = render("agency_satisfaction", question.params, "ky")
    assert "Бул жооп сизди канааттандырдыбы?" in notice.text
    yes = notice.buttons[0][0]
    assert yes.text == "👍 Ооба" and yes.callback_data is not None
    assert "Жообуңуз үчүн рахмат." in texts(await bakyt.press_data(yes.callback_data))
    # a supporter pressing "No" on the author's question counts for nothing
    no = notice.buttons[0][1]
    assert no.callback_data is not None
    await olga.press_data(no.callback_data)
    async with app.session_factory() as session:
        figures = await agencies.figures(session, agency_id, utcnow())
    assert (figures.answered, figures.satisfied_share) == (1, 1.0)
    assert answer_id
