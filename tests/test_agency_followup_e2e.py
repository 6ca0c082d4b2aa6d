"""The follow-up of a forwarded proposal through the bot, with a simulated clock for the
sweeps: a due date in working days across a holiday; reminders before, on and after the due
date, once per slot; escalation to organizers; one reminder per item after downtime; an
extension with its reason; answers ("in progress" with a date, and "accepted" with a
document) reaching the author and the supporters in their own languages; the satisfaction
question a week later and its place in the organizers' figures."""

import re
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.i18n import format_day
from bot.scheduler import sweep_agency_followup
from bot.services import agencies
from db.models import Agency, AnswerSatisfaction, Forwarding, Holiday, OutboxMessage, utcnow
from tests.db_fixtures import session_on
from tests.e2e import inline_labels, person, texts, wait_until
from tests.fake_bot_api import FakeTelegramServer, Person
from tests.harness import ADMIN_ID, RunningBot
from tests.people import Participant, add_participants
from tests.test_agency_work_e2e import publish

AUTHOR, SUPPORTER, REP = 5101, 5102, 5103


def working_days_after(start: date, days: int, holiday: date) -> date:
    """The oracle: count forward, skipping Saturdays, Sundays and the one holiday."""
    day = start
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5 and day != holiday:
            days -= 1
    return day


async def prepare(database_url: str, tz) -> date:  # type: ignore[no-untyped-def]
    """minedu answers in 5 working days; a holiday falls on the second working day ahead."""
    async with session_on(database_url) as session:
        minedu = await session.scalar(select(Agency).where(Agency.code == "minedu"))
        assert minedu is not None
        minedu.answer_days, minedu.working_days = 5, True
        today = utcnow().astimezone(tz).date()
        holiday = working_days_after(today, 2, today)  # "today" skips nothing
        await agencies.add_holiday(session, holiday, "Сынак майрамы", "Тестовый праздник")
        await session.commit()
    return holiday


async def sweep(bot: RunningBot, now: datetime) -> int:
    assert bot.app is not None
    return await sweep_agency_followup(bot.app, now=now)


async def queued(database_url: str, template: str, proposal_id: int) -> int:
    """Outbox rows of a template about one proposal (each reminder slot, each question)."""
    async with session_on(database_url) as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == template)
        )
        count = sum(1 for row in rows if row.params.get("proposal_id") == proposal_id)
    return count


async def forwarding_of(database_url: str, proposal_id: int) -> Forwarding:
    async with session_on(database_url) as session:
        row = await agencies.current_forwarding(session, proposal_id)
    assert row is not None
    return row


async def reminders(someone: Person, count: int) -> list[str]:
    """Waits until `someone` has `count` reminders, and returns them."""
    await someone.wait_for(
        lambda _m: len([m for m in someone.inbox if "🔔" in m.visible]) >= count, timeout=90
    )
    return [m.visible for m in someone.inbox if "🔔" in m.visible]


async def test_follow_up_reminders_escalation_extension_answers_and_satisfaction(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    tz = running_bot.settings.tz
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Организатор"),
        Participant(AUTHOR, "ru", "batken", full_name="Анна Петрова"),
        Participant(SUPPORTER, "ky", "batken", full_name="Гүлнара Осмонова"),
        Participant(REP, "ky", "bishkek", full_name="Эркин Алиев"),
    )
    telegram.add_users([ADMIN_ID, AUTHOR, SUPPORTER, REP])
    holiday = await prepare(database_url, tz)
    school = await publish(database_url, AUTHOR, "education", "В школах Баткена нужны учителя")
    books = await publish(database_url, AUTHOR, "education", "Нужны учебники на кыргызском")
    organizer = person(telegram, ADMIN_ID, "ru", "Организатор")
    author = person(telegram, AUTHOR, "ru", "Анна")
    supporter = person(telegram, SUPPORTER, "ky", "Гүлнара")
    rep = person(telegram, REP, "ky", "Эркин")
    await supporter.send(f"/p{school}")
    await supporter.press("👍 Колдоо")

    # Invite and bind the representative.
    link = re.search(r"start=(ag_[\w-]+)", texts(await organizer.send("/invite minedu")))
    assert link is not None
    await rep.send(f"/start {link.group(1)}")

    # Forward: 5 working days, skipping the weekend and the holiday.
    await organizer.send(f"/forward {school}")
    reply = await organizer.press("⭐ Минобрнауки")
    first = await forwarding_of(database_url, school)
    due_day = working_days_after(first.forwarded_at.astimezone(tz).date(), 5, holiday)
    assert first.due_at.astimezone(tz).date() == due_day
    assert format_day(first.due_at, "ru", tz) in texts(reply)
    card = await rep.wait_for(lambda m: "Баткена нужны учителя" in m.visible)
    assert "⏳ Жооп берүү мөөнөтү: " + format_day(first.due_at, "ky", tz) in card.visible
    await author.wait_for(lambda m: "Направлено в ответственный орган" in m.visible)
    # Anyone reading the proposal sees where it is and by when.
    shown = texts(await supporter.send(f"/p{school}"))
    assert "Билим берүү жана илим министрлиги" in shown and "⏳" in shown

    # Reminders before, on and after the due date, once per slot.
    due = first.due_at
    for moment, total in [
        (due - timedelta(days=3), 1),
        (due - timedelta(days=3), 1),  # the same slot again: nothing new
        (due - timedelta(days=1), 1),  # no slot in between
        (due, 2),
        (due + timedelta(days=3, hours=1), 3),
    ]:
        await sweep(running_bot, moment)
        assert await queued(database_url, "agency_reminder", school) == total
    seen = await reminders(rep, 3)
    assert len(seen) == 3 and all(f"№ {school}" in r for r in seen)
    # Sent within the same second, they may arrive in any order.
    assert any("мөөнөтү 3 күнгө өтүп кетти" in r for r in seen)

    # Seven days late: the organizers hear of it (and the representative gets the slot's).
    await sweep(running_bot, due + timedelta(days=7, hours=1))
    assert await queued(database_url, "agency_escalation", school) == 1
    escalation = await organizer.wait_for(lambda m: m.visible.startswith("⚠️"))
    assert "Нет ответа от органа «" in escalation.visible
    assert f"» на предложение № {school}" in escalation.visible
    await reminders(rep, 4)

    # The second item after downtime: twenty days pass in one sweep, one reminder for it.
    await organizer.send(f"/forward {books}")
    await organizer.press("⭐ Минобрнауки")
    second = await forwarding_of(database_url, books)
    await sweep(running_bot, second.due_at + timedelta(days=20))
    assert await queued(database_url, "agency_reminder", books) == 1
    reminded_of_school = await queued(database_url, "agency_reminder", school)
    late = await reminders(rep, 6)  # one for each item
    assert sum(f"№ {books}" in r for r in late) == 1

    # The representative asks for more days on the second item, once, with a reason.
    reply = await rep.send("/items")
    assert "Баткена нужны учителя" in texts(reply)
    books_card = next(m for m in reply if "учебники" in m.visible)
    reply = await rep.press("⏳ Мөөнөттү узартууну суроо", _raw(telegram, books_card))
    assert "Эң азы 1, эң көбү 5." in texts(reply)
    assert "Сан жазыңыз: эң азы 1, эң көбү 5." in texts(await rep.send("9"))
    await rep.send("3")
    reply = await rep.send("Министрликтин эксперттери текшерип жатышат")
    assert "Жаңы мөөнөт:" in texts(reply)
    told = await author.wait_for(lambda m: "попросил больше времени" in m.visible)
    assert "Министрликтин эксперттери текшерип жатышат" in told.visible
    extended = await forwarding_of(database_url, books)
    assert extended.due_at > second.due_at and extended.extension_reason

    # Answer "in progress" with a date: bad dates are refused, the step repeats.
    await rep.send("/items")
    await rep.press("✍️ Жооп берүү", _raw(telegram, _last_with(rep, "Баткена нужны учителя")))
    await rep.press("Иш жүрүп жатат")
    assert "25.12.2026" in texts(await rep.send("32.13.2026"))
    assert "келечекте" in texts(await rep.send("01.01.2020"))
    next_update = (utcnow().astimezone(tz) + timedelta(days=40)).date()
    await rep.send(f"{next_update:%d.%m.%Y}")
    await rep.send("Министрлик 2027-жылы Баткенге 40 мугалим жиберүүнү пландап жатат.")
    reply = await rep.press("Документсиз")
    assert "жооп авторго жана колдогондорго жөнөтүлдү" in texts(reply)
    to_author = await author.wait_for(lambda m: "📬 Ответ органа «" in m.visible)
    assert "Итог: в работе" in to_author.visible and "Следующая информация" in to_author.visible
    to_supporter = await supporter.wait_for(lambda m: "сиз колдогон" in m.visible)
    assert "иштелип жатат" in to_supporter.visible and "40 мугалим" in to_supporter.visible
    # No reminder for an answered item, ever again.
    await sweep(running_bot, due + timedelta(days=30))
    assert await queued(database_url, "agency_reminder", school) == reminded_of_school

    # "Accepted" with the official letter attached.
    await rep.send("/items")
    await rep.press("✍️ Жооп берүү", _raw(telegram, _last_with(rep, "учебники")))
    await rep.press("Кабыл алынды")
    await rep.send("Окуу китептери 2027-жылы басылып чыгат.")
    reply = await rep.send_document("kat.pdf", b"%PDF-1.4 letter")
    assert "жооп авторго жана колдогондорго жөнөтүлдү" in texts(reply)
    letter = await author.wait_for(lambda m: m.document is not None)
    assert letter.document[0] == "kat.pdf" and "Итог: принято" in letter.visible  # type: ignore[index]

    # A week later the author is asked once whether it answered the proposal.
    answered_at = utcnow()
    await sweep(running_bot, answered_at + timedelta(days=7, hours=1))
    await sweep(running_bot, answered_at + timedelta(days=8))  # asked once, not again
    assert await queued(database_url, "agency_satisfaction", books) == 1
    question = await author.wait_for(lambda m: "Устраивает ли вас" in m.visible)
    await author.press("👍 Да", _raw(telegram, question))
    async with session_on(database_url) as session:
        votes = list(await session.scalars(select(AnswerSatisfaction.satisfied)))
        assert votes == [True]
        assert await session.scalar(select(Holiday).where(Holiday.day == holiday))
    figures = texts(await organizer.send("/agencies"))
    assert re.search(r"<?minedu.*: 2 / 2 / 0, [\d,]+, 100\s%", figures)


async def forwarded_to_minedu(
    telegram: FakeTelegramServer, database_url: str, wording: list[str]
) -> tuple[Person, Person, list[int]]:
    """An organizer, a representative of minedu who came through its invitation, and the
    proposals of `wording` (two authors: one may submit ten a day) forwarded there by hand:
    (organizer, representative, proposal ids)."""
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Организатор"),
        Participant(AUTHOR, "ru", "batken", full_name="Анна Петрова"),
        Participant(SUPPORTER, "ky", "batken", full_name="Асель Токтогулова"),
        Participant(REP, "ky", "bishkek", full_name="Эркин Алиев"),
    )
    telegram.add_users([ADMIN_ID, AUTHOR, SUPPORTER, REP])
    authors = [AUTHOR, SUPPORTER] * len(wording)
    ids = [
        await publish(database_url, author, "education", text)
        for author, text in zip(authors, wording, strict=False)
    ]
    organizer = person(telegram, ADMIN_ID, "ru", "Организатор")
    rep = person(telegram, REP, "ky", "Эркин")
    link = re.search(r"start=(ag_[\w-]+)", texts(await organizer.send("/invite minedu")))
    assert link is not None
    await rep.send(f"/start {link.group(1)}")
    for proposal_id in ids:
        await organizer.send(f"/forward {proposal_id}")
        await organizer.press("⭐ Минобрнауки")
    return organizer, rep, ids


async def test_many_overdue_items_come_in_one_reminder_and_one_escalation(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    """Five items of one agency overdue at once: the representative gets one reminder listing
    them (not five), each organizer one escalation; /items then shows every card, and a
    number of the list opens its proposal, answerable there."""
    wording = [f"Баткенде {n}-мектепке мугалим керек" for n in range(1, 6)]
    organizer, rep, ids = await forwarded_to_minedu(telegram, database_url, wording)
    last = await forwarding_of(database_url, ids[-1])

    assert await sweep(running_bot, last.due_at + timedelta(days=7, hours=1)) >= 2
    reminder = await rep.wait_for(lambda m: m.visible.startswith("🔔"))
    assert "5 сунуш сиздин жообуңузду күтүп жатат." in reminder.visible
    assert "Алардын ичинен 5 сунуштун мөөнөтү өтүп кетти." in reminder.visible
    assert all(f"/p{proposal_id}" in reminder.visible for proposal_id in ids)
    escalation = await organizer.wait_for(lambda m: m.visible.startswith("⚠️"))
    assert "не ответил в срок на 5 предложений:" in escalation.visible
    assert all(f"/p{proposal_id}" in escalation.visible for proposal_id in ids)
    async with session_on(database_url) as session:
        templates = list(
            await session.scalars(
                select(OutboxMessage.template).where(
                    OutboxMessage.template.like("agency_reminder%")
                    | OutboxMessage.template.like("agency_escalation%")
                )
            )
        )
    assert sorted(templates) == ["agency_escalations", "agency_reminders"]

    cards = await rep.send("/items")
    assert all(text in texts(cards) for text in wording)
    assert "көрсөтүлдү" not in texts(cards)  # all five shown: nothing more to say
    # A number of the list opens the proposal with the item's own buttons: answered there.
    (card,) = [m for m in await rep.send(f"/p{ids[2]}") if "👍 Колдоо" in inline_labels(m)]
    assert wording[2] in card.visible
    assert "✍️ Жооп берүү" in inline_labels(card)
    assert "Жыйынтыгы:" in texts(await rep.press("✍️ Жооп берүү", _raw(telegram, card)))
    await rep.press("Кабыл алынды")
    await rep.send("Министрлик 2027-жылы 5 мугалим жиберет.")
    assert "жооп авторго жана колдогондорго жөнөтүлдү" in texts(await rep.press("Документсиз"))
    answered = await forwarding_of(database_url, ids[2])
    assert answered.answered_at is not None and answered.outcome == "accepted"
    # Answered, the card has no item buttons; nobody else's card ever had them.
    (card,) = [m for m in await rep.send(f"/p{ids[2]}") if "👍 Колдоо" in inline_labels(m)]
    assert "✍️ Жооп берүү" not in inline_labels(card)
    others = await organizer.send(f"/p{ids[3]}")
    assert wording[3] in texts(others)
    assert not any(label.startswith("✍️") for m in others for label in inline_labels(m))


async def test_items_show_the_first_ten_and_say_how_to_reach_the_rest(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    """Twelve open items: /items shows the ten due first and says how many there are; one
    sent back, /items shows the next."""
    wording = [f"Баткендин {n}-айылына көпүрө керек" for n in range(1, 13)]
    _organizer, rep, ids = await forwarded_to_minedu(telegram, database_url, wording)

    # The twelve notices of the new items first, so that /items's reply is its own.
    await wait_until(lambda: sum(m.visible.startswith("📨") for m in rep.inbox) == len(ids))

    cards = await rep.send("/items")
    shown = texts([m for m in cards if m.visible.startswith("#")])
    assert [text in shown for text in wording] == [True] * 10 + [False] * 2
    assert (
        "Жооп күтүп турган 12 сунуштун ичинен мөөнөтү эң эрте болгон 10 сунуш көрсөтүлдү."
        in texts(cards)
    )
    first = next(m for m in cards if m.visible.startswith("#"))
    assert wording[0] in first.visible
    await rep.press("↩️ Биздин ыйгарым укукка кирбейт", _raw(telegram, first))
    reply = await rep.send("Көпүрөлөр Транспорт министрлигине тиешелүү.")
    assert "уюштуруучуларга кайтарылды" in texts(reply)
    cards = await rep.send("/items")
    shown = texts([m for m in cards if m.visible.startswith("#")])
    assert wording[0] not in shown and wording[10] in shown
    assert "11 сунуштун ичинен" in texts(cards)


def _last_with(someone: Person, needle: str):  # type: ignore[no-untyped-def]
    return next(m for m in reversed(someone.inbox) if needle in m.visible and m.reply_markup)


def _raw(telegram: FakeTelegramServer, sent) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """The message as Telegram holds it, to press a button under that very message."""
    return next(
        m for m in telegram.current_messages(sent.chat_id) if m["message_id"] == sent.message_id
    )
