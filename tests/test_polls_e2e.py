"""Polls end to end against the fake Bot API, in Kyrgyz and Russian: an organizer asks the people
checked in at an event; each gets Telegram's native poll in their language; people from
different regions and abroad answer (one blocked the bot, one answers after the close); the
organizer sees the live results, the breakdowns by region and category (small groups as "fewer
than 5"), closes the poll (stopPoll for every copy) and shares the results. Then the bad input,
a poll with names and a retraction, and a "rank the proposals" poll paged by Telegram's limit."""

from datetime import timedelta

from sqlalchemy import select

from bot.services import events
from db.models import Poll, PollAnswer, Proposal, Registration, User, utcnow
from tests.e2e import inline_labels, person, texts, wait_until
from tests.fake_bot_api import FakeTelegramServer, Person
from tests.fake_bot_api.server import PollClosed
from tests.harness import ADMIN_ID, RunningBot
from tests.test_event_services import TZ

# telegram id: (language, name, region, country, category, gender, checked in)
PEOPLE = {
    3001: ("ky", "Айгүл", "bishkek", None, "civil-society", "female", True),
    3002: ("ru", "Ольга", "bishkek", None, "civil-society", "female", True),
    3003: ("ky", "Бакыт", "bishkek", None, "civil-society", "male", True),
    3004: ("ru", "Игорь", "bishkek", None, "civil-society", "male", True),
    3005: ("ky", "Нурлан", "bishkek", None, "civil-society", "male", True),
    3006: ("ky", "Жамиля", "bishkek", None, "business", "female", True),
    3007: ("ky", "Улан", "osh", None, "state-body", "male", True),
    3008: ("ru", "Сергей", "abroad", "RU", "diaspora", "male", True),
    3009: ("ky", "Гүлзат", "abroad", "TR", "diaspora", "female", True),
    3010: ("ru", "Азамат", "naryn", None, "expert", "male", True),  # blocked the bot
    3011: ("ky", "Мээрим", "talas", None, "student", "female", False),  # registered only
}


async def seed(bot: RunningBot, *, checked_in: bool = True) -> tuple[int, dict[int, User]]:
    """The participants (registration has its own tests), an event going on now, and who is
    in the hall (check-in has its own tests too)."""
    assert bot.app is not None
    people: dict[int, User] = {}
    async with bot.app.session_factory() as session:
        for telegram_id, (language, name, region, country, category, gender, _in) in {
            **PEOPLE,
            ADMIN_ID: ("ru", "Асан Усонов", "bishkek", None, "state-body", "male", False),
        }.items():
            people[telegram_id] = User(
                telegram_id=telegram_id,
                language=language,
                consent="given",
                consent_at=utcnow(),
                full_name=name,
                region_code=region,
                country_code=country,
                category_code=category,
                gender=gender,
                registered_at=utcnow(),
            )
            session.add(people[telegram_id])
        await session.flush()
        starts = utcnow() - timedelta(hours=1)
        event = await events.save_event(
            session,
            events.EventDraft(
                kind_code="forum",
                title_ky="Мекендештер форуму",
                title_ru="Форум соотечественников",
                starts_at=starts,
                ends_at=starts + timedelta(hours=4),
                format="hybrid",
                venue="Бишкек, «Ала-Тоо» залы",
                online_url="https://example.org/forum",
                region_code="bishkek",
                topic_codes=["migration"],
            ),
            author=people[ADMIN_ID],
            publish=True,
            tz=TZ,
            now=starts - timedelta(days=10),
        )
        for telegram_id, details in PEOPLE.items():
            registration = Registration(
                event_id=event.id,
                user_id=people[telegram_id].id,
                status="registered",
                code=f"P{telegram_id}",
                attended_at=utcnow() if details[6] and checked_in else None,
            )
            session.add(registration)
        await session.commit()
        return event.id, people


def people_of(telegram: FakeTelegramServer) -> dict[int, Person]:
    telegram.add_users(list(PEOPLE))
    return {i: person(telegram, i, d[0], d[1]) for i, d in PEOPLE.items()}


async def answers(bot: RunningBot, poll_id: int) -> dict[int, list[int]]:
    assert bot.app is not None
    async with bot.app.session_factory() as session:
        query = (
            select(User.telegram_id, PollAnswer.option_ids)
            .join(User, User.id == PollAnswer.user_id)
            .where(PollAnswer.poll_id == poll_id)
        )
        return {telegram_id: chosen for telegram_id, chosen in (await session.execute(query))}


async def test_a_poll_in_the_hall_in_both_languages(
    running_bot: RunningBot, telegram: FakeTelegramServer
) -> None:
    await seed(running_bot)
    everyone = people_of(telegram)
    telegram.block(3010)
    organizer = person(telegram, ADMIN_ID, "ru", "Асан")

    reply = await organizer.send("/poll")
    assert "Новый опрос" in texts(reply)
    await organizer.press("Свой вопрос")
    await organizer.send("Баткен облусуна өзгөчө статус берилсинби?")
    await organizer.send("Дать ли Баткенской области особый статус?")
    reply = await organizer.send("Ооба\nЖок\nБилбейм")
    assert "на русском" in texts(reply)
    await organizer.send("Да\nНет\nНе знаю")
    await organizer.press("Один ответ")
    await organizer.press("Анонимно")
    await organizer.press("Пришедшие на мероприятие")
    reply = await organizer.press("Форум соотечественников")
    assert "Дать ли Баткенской области особый статус?" in texts(reply)
    assert "Опрос получат 10 человек. Отправить?" in texts(reply)
    reply = await organizer.press("Отправить")
    results_message = reply[-1]
    assert "Опрос</b> (открыт)" in (results_message.text or "")

    # Each person in the hall gets the native poll in their language; not the one at home.
    polls = {}
    for telegram_id in PEOPLE:
        if telegram_id in (3010, 3011):
            continue
        polls[telegram_id] = await everyone[telegram_id].wait_for(lambda m: m.poll is not None)
    assert polls[3001].poll is not None and polls[3002].poll is not None
    assert polls[3001].poll["question"] == "Баткен облусуна өзгөчө статус берилсинби?"
    assert [o["text"] for o in polls[3001].poll["options"]] == ["Ооба", "Жок", "Билбейм"]
    assert polls[3002].poll["question"] == "Дать ли Баткенской области особый статус?"
    assert polls[3002].poll["is_anonymous"] is False  # or Telegram would not tell the bot
    assert "Анонимно" in polls[3002].poll["description"]
    assert "Анонимдүү" in polls[3001].poll["description"]
    assert everyone[3011].polls() == []

    # Bishkek (6 people): 4 yes, 2 no; Osh, Russia, Turkey: yes; one retracts and re-answers.
    choices = {3001: 0, 3002: 0, 3003: 0, 3004: 1, 3005: 1, 3006: 0, 3007: 0, 3008: 0, 3009: 2}
    for telegram_id, option in choices.items():
        await everyone[telegram_id].vote([option])
    await everyone[3009].vote([])
    await everyone[3009].vote([0])
    assert running_bot.app is not None
    async with running_bot.app.session_factory() as session:
        poll = await session.scalar(select(Poll))
        assert poll is not None
        poll_id = poll.id
    stored = await answers(running_bot, poll_id)
    assert stored == {
        **{telegram_id: [option] for telegram_id, option in choices.items()},
        3009: [0],
    }

    # The live results catch up by themselves (edited every few seconds at most).
    def live(m) -> bool:  # type: ignore[no-untyped-def]
        return m.edited and m.message_id == results_message.message_id and "9 из 10" in m.visible

    shown = await organizer.wait_for(live, timeout=30)
    assert "Да" in shown.visible and "7 (78%)" in shown.visible
    assert "Не доставлено (заблокировали бота или опрос закрыт): 1" in shown.visible
    assert "👥 Кто ответил" not in inline_labels(shown)  # anonymous: no names, ever

    # By region: Bishkek in figures, the small groups only as "fewer than 5".
    reply = await organizer.press("По региону", message=_current(telegram, results_message))
    shown_text = texts(reply)
    assert "город Бишкек — ответили: 6" in shown_text
    assert "1. Да: 4" in shown_text and "2. Нет: 2" in shown_text
    assert "За рубежом (соотечественники): меньше 5" in shown_text
    assert "город Ош: меньше 5" in shown_text
    reply = await organizer.press("По категории", message=_current(telegram, results_message))
    assert "Гражданское общество, НКО — ответили: 5" in texts(reply)
    assert "3. Не знаю" not in texts(reply)
    reply = await organizer.press("По странам", message=_current(telegram, results_message))
    assert "Россия: меньше 5" in texts(reply)

    # Closing: one copy's stopPoll meets a server error first, and its person answers in
    # that moment: not counted, and told so.
    telegram.fail_next("stopPoll", status=502, description="Bad Gateway", chat_id=3007)
    telegram.fail_next("stopPoll", status=429, retry_after=1, chat_id=3008)
    reply = await organizer.press("⏹ Закрыть опрос", message=_current(telegram, results_message))
    assert "Опрос закрыт: ответы больше не учитываются. Закрывается копий: 9." in texts(reply)
    reply = await everyone[3007].vote([1])
    assert texts(reply) == "Бул сурамжылоо жабылган: жообуңуз эсептелген жок."
    assert (await answers(running_bot, poll_id))[3007] == [0]

    async def all_stopped() -> bool:
        return all(telegram.polls[p.poll["id"]].poll["is_closed"] for p in polls.values())  # type: ignore[index]

    await wait_until(all_stopped)
    assert telegram.rejected_429 == 1  # the stop for 3008, waited out and sent again
    try:
        await everyone[3001].vote([1])
        raise AssertionError("Telegram does not let anyone vote in a closed poll")
    except PollClosed:
        pass

    # Sharing: everyone who got the poll reads the results in their language.
    final = reply_with(telegram, ADMIN_ID, "📣 Поделиться результатами")
    reply = await organizer.press("📣 Поделиться результатами", message=final)
    assert "Результаты получат 9 человек." in texts(reply)
    ky = await everyone[3001].wait_for("Сурамжылоонун жыйынтыгы")
    assert (
        "Ооба" in ky.visible
        and "7 (78%)" in ky.visible
        and "Сурамжылоого катышкандар: 9" in ky.visible
    )
    ru = await everyone[3002].wait_for("Результаты опроса")
    assert "Да" in ru.visible and "Приняли участие в опросе: 9" in ru.visible
    assert not [m for m in everyone[3011].inbox if "Результаты" in m.visible]


def _current(telegram: FakeTelegramServer, message) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """The message as it stands now (its buttons after the live edits)."""
    return next(
        m
        for m in telegram.current_messages(message.chat_id)
        if m["message_id"] == message.message_id
    )


def reply_with(telegram: FakeTelegramServer, chat_id: int, label: str) -> dict:  # type: ignore[type-arg]
    """The newest message in the chat that shows a button with this label."""
    for message in telegram.current_messages(chat_id):
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            if any(button.get("text") == label for button in row):
                return message
    raise AssertionError(f"no message shows {label!r}")


async def test_bad_input_names_retraction_and_telegram_errors_in_kyrgyz(
    running_bot: RunningBot, telegram: FakeTelegramServer
) -> None:
    event_id, _people = await seed(running_bot, checked_in=False)
    everyone = people_of(telegram)
    organizer = person(telegram, ADMIN_ID, "ky", "Асан")
    assert running_bot.app is not None
    async with running_bot.app.session_factory() as session:
        admin = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
        assert admin is not None
        admin.language = "ky"
        await session.commit()

    # A participant cannot start a poll, nor press an organizer's button.
    assert texts(await everyone[3001].send("/poll")) == "Бул буйрук уюштуруучулар үчүн гана."

    await organizer.send("/poll")
    await organizer.press("Өзүмдүн суроом")
    reply = await organizer.send("С" * 301)
    assert "Суроо өтө узун: 301 белги, эң көбү 300." in texts(reply)
    await organizer.send("Форумдун кайсы секциялары сизге пайдалуу болду?")
    await organizer.press("Өткөрүп жиберүү")  # no Russian question: everyone gets Kyrgyz
    reply = await organizer.send("\n".join(f"Секция {n}" for n in range(1, 14)))
    assert "Варианттар өтө көп: 13. Telegram бир сурамжылоодо эң көбү 12" in texts(reply)
    reply = await organizer.send("Миграция\n\nЭкономика")
    assert "Вариант № 2 бош." in texts(reply)
    reply = await organizer.send("Миграция\n" + "Э" * 101)
    assert "Вариант № 2 өтө узун: 101 белги, эң көбү 100." in texts(reply)
    reply = await organizer.send("Миграция\nМиграция")
    assert "Эки вариант бирдей." in texts(reply)
    await organizer.send("Миграция\nЭкономика\nБилим берүү")
    await organizer.press("Бир нече жооп")
    await organizer.press("Аты-жөнү менен")
    # Nobody has been checked in yet: an audience of nobody.
    await organizer.press("Иш-чарага келгендер")
    reply = await organizer.press("Мекендештер форуму")
    assert "Бул шартка эч ким туура келбейт. Башкасын тандаңыз." in texts(reply)
    await organizer.press("Иш-чарага катталгандар")
    # 429 for one person, a network error for another: both still get their poll.
    telegram.fail_next("sendPoll", status=429, retry_after=1, chat_id=3002)
    telegram.fail_next("sendPoll", status=502, description="Bad Gateway", chat_id=3003)
    reply = await organizer.press("Мекендештер форуму")
    assert "Сурамжылоо 11 кишиге жетет. Жөнөтөлүбү?" in texts(reply)
    await organizer.press("Жөнөтүү")
    for telegram_id in PEOPLE:
        await everyone[telegram_id].wait_for(lambda m: m.poll is not None, timeout=20)
    russian = everyone[3002].last_poll()
    assert russian is not None and russian.poll is not None
    assert russian.poll["question"] == "Форумдун кайсы секциялары сизге пайдалуу болду?"
    assert russian.poll["allows_multiple_answers"] is True
    assert telegram.rejected_429 >= 1

    await everyone[3001].vote([0, 2])
    await everyone[3002].vote([1])
    await everyone[3002].vote([])  # took it back
    await everyone[3003].vote([0, 1])
    await everyone[3003].vote([2])  # changed the answer
    async with running_bot.app.session_factory() as session:
        poll = await session.scalar(select(Poll))
        assert poll is not None and poll.is_anonymous is False
        poll_id = poll.id
    assert await answers(running_bot, poll_id) == {3001: [0, 2], 3002: [], 3003: [2]}

    reply = await organizer.send("/polls")
    reply = await organizer.press("🟢 Форумдун кайсы секциялары сизге пайдалуу болду?")
    assert "Жообун кайтарып алгандар: 1" in texts(reply)
    assert "Жооп бергендер: 2 / 11" in texts(reply)
    reply = await organizer.press("👥 Ким жооп берди")
    assert "• Айгүл: Миграция; Билим берүү" in texts(reply)
    assert "• Бакыт: Билим берүү" in texts(reply)
    assert "Ольга" not in texts(reply)
    reply = await organizer.press("📊 Диаграмманы көрүү")
    assert any(m.photo for m in reply)
    reply = await organizer.press("Жынысы боюнча")
    assert "Аялдар: 5 кишиден аз" in texts(reply)

    # A participant presses a forged organizer's button: refused, nothing happens.
    from bot.keyboards.polls import PollCb

    await everyone[3001].press_data(PollCb(action="close", id=poll_id).pack())
    async with running_bot.app.session_factory() as session:
        still = await session.get(Poll, poll_id)
        assert still is not None and still.status == "open"
    assert event_id


async def test_rank_an_events_proposals_in_several_polls(
    running_bot: RunningBot, telegram: FakeTelegramServer
) -> None:
    event_id, people = await seed(running_bot)
    everyone = people_of(telegram)
    assert running_bot.app is not None
    async with running_bot.app.session_factory() as session:
        for n in range(1, 15):
            session.add(
                Proposal(
                    author_id=people[3001].id,
                    event_id=event_id,
                    topic_code="migration",
                    region_code="abroad",
                    text=f"Сунуш {n}: мекендештер үчүн консулдук кызматты жакшыртуу " * 3,
                    status="published",
                    support_count=n,
                )
            )
        session.add(
            Proposal(
                author_id=people[3001].id,
                event_id=event_id,
                topic_code="migration",
                region_code="abroad",
                text="Четке кагылган сунуш",
                status="rejected",
            )
        )
        await session.commit()
    organizer = person(telegram, ADMIN_ID, "ru", "Асан")
    await organizer.send("/poll")
    await organizer.press("Рейтинг предложений мероприятия")
    reply = await organizer.press("Форум соотечественников")
    assert "Опубликованных предложений: 14. Опросов: 2" in texts(reply)
    await organizer.press("Анонимно")
    await organizer.press("Пришедшие на мероприятие")
    await organizer.press("Форум соотечественников")
    await organizer.press("Отправить")
    first = await everyone[3002].wait_for(lambda m: m.poll is not None and "(1/2)" in m.visible)
    second = await everyone[3002].wait_for(lambda m: m.poll is not None and "(2/2)" in m.visible)
    assert first.poll is not None and second.poll is not None
    assert first.poll["question"] == "Какие из этих предложений важнее всего? (1/2)"
    assert len(first.poll["options"]) == 7 and len(second.poll["options"]) == 7
    assert first.poll["allows_multiple_answers"] is True
    texts_shown = [o["text"] for p in (first, second) for o in p.poll["options"]]  # type: ignore[index]
    assert all(len(text) <= 100 for text in texts_shown)
    assert texts_shown[0].startswith("№14: Сунуш 14")  # the most supported first
    assert not any("Четке кагылган" in text for text in texts_shown)
    kyrgyz = await everyone[3001].wait_for(lambda m: m.poll is not None and "(2/2)" in m.visible)
    assert kyrgyz.visible == "Бул сунуштардын кайсылары эң маанилүү? (2/2)"
    await everyone[3002].vote([0, 3], poll=second)
    assert await answers(running_bot, 2) == {3002: [0, 3]}
