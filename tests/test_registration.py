"""The first journey, played by a person over HTTP: language, consent, registration,
profile, language switch and erasure, in Kyrgyz and in Russian, with bad input and a
restart halfway through."""

from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select

from db.models import User
from tests.db_fixtures import session_on
from tests.e2e import inline_labels, keyboard_labels, menu_of, person, texts
from tests.fake_bot_api.server import DROP_CONNECTION
from tests.harness import RunningBot


async def load_user(database_url: str, telegram_id: int) -> User | None:
    async with session_on(database_url) as session:
        return await session.scalar(select(User).where(User.telegram_id == telegram_id))


async def test_registration_in_kyrgyz_with_bad_input_and_a_restart(
    running_bot: RunningBot, telegram, database_url: str
) -> None:
    aigul = person(telegram, 1001, "ky", "Айгүл")

    reply = await aigul.send("/start")
    assert "«Кеңешке» кош келиңиз" in texts(reply)
    assert inline_labels(reply[-1]) == ["Кыргызча", "Русский"]

    greeting = reply[-1]
    reply = await aigul.press("Кыргызча")
    assert "Жеке маалыматтарды иштетүүгө макулдук" in texts(reply)
    assert inline_labels(reply[-1]) == ["Макулмун", "Макул эмесмин"]
    # The greeting itself became the consent: no second message under spent buttons.
    assert [(m.message_id, m.edited) for m in reply] == [(greeting.message_id, True)]
    # Her app is in Kyrgyz: the default Kyrgyz menu serves her, no menu of her own.
    assert telegram.commands_for({"type": "chat", "chat_id": 1001}) == []
    assert {"command": "profile", "description": "Менин профилим"} in telegram.commands_for(
        None, "ky"
    )

    reply = await aigul.press("Макулмун")
    # The consent's buttons are gone; the thanks and the first question come as one message.
    assert inline_labels(reply[0]) == [] and reply[0].edited
    assert "Рахмат! Эми уюштуруучулар" in reply[-1].text
    assert "Толук аты-жөнүңүз кандай?" in reply[-1].text
    assert len(reply) == 2

    reply = await aigul.send("Ж" * 500)
    assert texts(reply) == ("Аты-жөнү өтө узун (500 белги): 100 белгиден ашырбаңыз.")
    reply = await aigul.send_sticker()
    assert texts(reply) == "Сураныч, текст менен жооп бериңиз."
    reply = await aigul.send("R2-D2")
    assert "тамгалар, боштук, дефис жана апостроф гана" in texts(reply)

    reply = await aigul.send("Айгүл  Асанова")
    assert "Кайда жашайсыз?" in texts(reply)
    assert "Баткен облусу" in inline_labels(reply[-1])
    assert "Бүткүл өлкө" not in inline_labels(reply[-1])

    reply = await aigul.send("Баткен")
    assert "Сураныч, баскычтардын бирин тандаңыз." in texts(reply)

    reply = await aigul.press("Баткен облусу")
    assert "Кимдин атынан катышасыз?" in texts(reply)

    # The process stops and starts again halfway: the conversation goes on from the database.
    await running_bot.restart()
    half = await load_user(database_url, 1001)
    assert half is not None and half.full_name is None  # nothing half-saved in the profile

    reply = await aigul.press("Студент")
    assert "Жынысыңыз?" in texts(reply)
    reply = await aigul.press("Аял")
    assert "Уюмуңуздун аталышы" in texts(reply)
    reply = await aigul.press("Өткөрүп жиберүү")
    assert "Телефон номериңиз" in texts(reply)
    assert keyboard_labels(reply[-1]) == ["📱 Номеримди бөлүшүү", "Өткөрүп жиберүү"]

    reply = await aigul.share_contact("+996700111222", own=False)
    assert "өз номериңизди" in texts(reply)
    reply = await aigul.send("+996 700 111 222")
    assert "өз номериңизди гана кабыл алабыз" in texts(reply)
    reply = await aigul.share_contact("+996700111222", own=True)
    assert "Сиз катталдыңыз" in texts(reply)
    assert "🗓 Иш-чаралар" in menu_of(aigul)

    user = await load_user(database_url, 1001)
    assert user is not None
    assert (user.full_name, user.region_code, user.category_code) == (
        "Айгүл Асанова",
        "batken",
        "student",
    )
    assert (user.gender, user.organisation, user.phone) == ("female", None, "+996700111222")
    assert user.language == "ky" and user.consent == "given" and user.registered_at is not None


async def test_registration_in_russian_abroad_profile_language_and_deleteme(
    running_bot: RunningBot, telegram, database_url: str
) -> None:
    nurlan = person(telegram, 1002, "ru", "Нурлан")
    reply = await nurlan.send("/start")
    assert "Добро пожаловать в «Кенеш»" in texts(reply)
    await nurlan.press("Русский")
    reply = await nurlan.press("Даю согласие")
    assert "Как вас зовут полностью?" in texts(reply)
    await nurlan.send("Нурлан Д'Артаньян-Уулу")
    reply = await nurlan.press("За рубежом (соотечественники)")
    assert "В какой стране вы живёте?" in texts(reply)
    assert "Республика Корея" in inline_labels(reply[-1])
    reply = await nurlan.press("Другая страна")
    assert "Напишите название страны." in texts(reply)
    reply = await nurlan.send("Финляндия")
    assert "Кого вы представляете?" in texts(reply)
    await nurlan.press("Соотечественник за рубежом")
    reply = await nurlan.press("Не указывать")
    assert "Название вашей организации" in texts(reply)
    reply = await nurlan.send("Ассоциация «Мекен» & партнёры <Хельсинки>")
    assert "Номер телефона поможет" in texts(reply)
    reply = await nurlan.tap("Пропустить")
    assert "Вы зарегистрированы" in texts(reply)

    reply = await nurlan.send("/profile")
    card = texts(reply)
    assert "Имя: Нурлан Д'Артаньян-Уулу" in card
    assert "Место жительства: За рубежом (соотечественники): Финляндия" in card
    assert "Пол: не указано" in card
    # User text is escaped in HTML: the fake server would have refused it otherwise.
    assert "Организация: Ассоциация «Мекен» & партнёры <Хельсинки>" in card
    assert "Дата регистрации:" in card

    reply = await nurlan.press("✏️ Место жительства")
    reply = await nurlan.press("Чуйская область")
    assert "Сохранено." in texts(reply)
    assert "Место жительства: Чуйская область" in texts(reply)

    reply = await nurlan.send("/language")
    reply = await nurlan.press("Кыргызча")
    assert "Эми бот кыргызча сүйлөйт." in texts(reply)
    assert "🗓 Иш-чаралар" in menu_of(nurlan) and "👤 Профиль" in menu_of(nurlan)
    reply = await nurlan.tap("❓ Жардам")
    assert "Кыргызстандагы коомдук талкуулардын боту" in texts(reply)

    reply = await nurlan.send("/deleteme")
    assert "Жеке маалыматтарыңыз өчүрүлсүнбү?" in texts(reply)
    reply = await nurlan.press("Ооба, маалыматтарым өчүрүлсүн")
    assert "Жеке маалыматтарыңыз өчүрүлдү" in texts(reply)
    user = await load_user(database_url, 1002)
    assert user is not None
    assert (user.full_name, user.region_code, user.country_other, user.organisation) == (
        None,
        None,
        None,
        None,
    )
    assert user.consent is None and user.registered_at is None
    assert user.language == "ky"  # kept so the bot can still speak to them


async def test_declining_consent_keeps_only_id_and_language(
    running_bot: RunningBot, telegram, database_url: str
) -> None:
    someone = person(telegram, 1003, "en", "Alex")
    reply = await someone.send("/start")
    assert "Тилди тандаңыз" in texts(reply) and "Выберите язык" in texts(reply)
    await someone.press("Русский")
    reply = await someone.press("Не даю согласия")
    assert "Мы храним только ваш идентификатор Telegram и язык" in texts(reply)
    reply = await someone.send("/profile")
    assert "Вы ещё не зарегистрированы" in texts(reply)
    user = await load_user(database_url, 1003)
    assert user is not None and user.consent == "declined" and user.full_name is None


async def test_stale_and_forged_buttons_and_groups(running_bot: RunningBot, telegram) -> None:
    bolot = person(telegram, 1004, "ky", "Болот")
    await bolot.send("/start")
    await bolot.press("Кыргызча")
    await bolot.press("Макулмун")
    # A region button while the bot waits for a name: refused with an alert, nothing saved.
    reply = await bolot.press_data("pick:residence:batken")
    answers = [c for c in telegram.calls_of("answerCallbackQuery")]
    assert answers[-1].params.get("text") == "Бул баскыч эми иштебейт."
    assert reply == [] or "Бул баскыч" not in texts(reply)
    await bolot.press_data("no-such-button")
    assert telegram.calls_of("answerCallbackQuery")[-1].params.get("text") == (
        "Бул баскыч эми иштебейт."
    )
    # In a group the bot stays deliberately quiet.
    before = len(telegram.calls)
    await bolot.send_in_group("/start")
    assert [c for c in telegram.calls[before:] if c.method.lower() != "getupdates"] == []


async def test_commands_are_registered_per_language(running_bot: RunningBot, telegram) -> None:
    ky = {c["command"]: c["description"] for c in telegram.commands_for(None, "ky")}
    ru = {c["command"]: c["description"] for c in telegram.commands_for(None, "ru")}
    assert ky["profile"] == "Менин профилим" and ru["profile"] == "Мой профиль"
    assert set(ky) == set(ru) >= {"start", "help", "language", "deleteme", "profile"}
    # Clients in other languages get the Kyrgyz menu.
    assert telegram.commands_for(None, "") == telegram.commands_for(None, "ky")


async def test_a_crash_in_one_handler_is_reported_and_others_are_served(
    running_bot: RunningBot, telegram, database_url: str
) -> None:
    broken = person(telegram, 1005, "ky", "Асель")
    await broken.send("/start")
    await broken.press("Кыргызча")
    await broken.press("Макулмун")
    # Damaged conversation data (say, written by an older version) makes the handler fail.
    assert running_bot.app is not None
    key = StorageKey(bot_id=running_bot.app.bot.id, chat_id=1005, user_id=1005)
    await running_bot.app.dp.fsm.storage.set_data(key, {"mode": "register", "profile": [1]})
    reply = await broken.send("Асель Бекова")
    assert texts(reply) == "Ката кетти, кайра аракет кылып көрүңүз."

    other = person(telegram, 1006, "ru", "Олег")
    reply = await other.send("/start")
    assert "Добро пожаловать в «Кенеш»" in texts(reply)


async def test_the_consent_comes_when_the_greeting_cannot_be_edited(
    running_bot: RunningBot, telegram
) -> None:
    """The greeting turns into the consent by an edit; Telegram's refusals of it still end
    with the consent on screen: a refused edit, or a greeting out of the bot's reach, sends it
    anew; after a 429 or a cut connection the edit is tried again; a person who blocked the
    bot (403) gets nothing and the others are still answered."""
    consent_buttons = ["Даю согласие", "Не даю согласия"]

    refused = person(telegram, 1011, "ru", "Асель")
    await refused.send("/start")
    telegram.fail_next(
        "editMessageText", status=400, retry_after=None,
        description="Bad Request: message can't be edited", chat_id=1011,
    )  # fmt: skip
    reply = await refused.press("Русский")
    assert "Согласие на обработку персональных данных" in texts(reply)
    assert inline_labels(reply[-1]) == consent_buttons and not reply[-1].edited

    waited = person(telegram, 1012, "ru", "Бакыт")
    greeting = (await waited.send("/start"))[-1]
    telegram.fail_next("editMessageText", status=429, retry_after=1, chat_id=1012)
    reply = await waited.press("Русский")
    assert [(m.message_id, m.edited) for m in reply] == [(greeting.message_id, True)]
    assert inline_labels(reply[-1]) == consent_buttons

    cut_off = person(telegram, 1013, "ru", "Чолпон")
    greeting = (await cut_off.send("/start"))[-1]
    telegram.fail_next("editMessageText", status=DROP_CONNECTION, chat_id=1013)
    reply = await cut_off.press("Русский")
    assert [(m.message_id, m.edited) for m in reply] == [(greeting.message_id, True)]
    assert inline_labels(reply[-1]) == consent_buttons

    # A greeting Telegram no longer lets the bot reach (an old one): the consent comes anew,
    # after a 429 on it is waited out.
    late = person(telegram, 1014, "ru", "Данияр")
    greeting = (await late.send("/start"))[-1]
    gone = {"message_id": greeting.message_id, "date": 0, "chat": late.chat}
    telegram.fail_next("sendMessage", status=429, retry_after=1, chat_id=1014)
    reply = await late.press_data("lang:ru", gone)
    assert "Согласие на обработку персональных данных" in texts(reply)
    assert inline_labels(reply[-1]) == consent_buttons and not reply[-1].edited

    # Blocked the bot right after pressing: every call to them is refused (403). Nothing is
    # shown or kept for them, and the bot goes on answering the others.
    gone_away = person(telegram, 1015, "ru", "Эрмек")
    await gone_away.send("/start")
    blocked = "Forbidden: bot was blocked by the user"
    for method in ("editMessageText", "sendMessage"):
        telegram.fail_next(method, status=403, retry_after=None, description=blocked, chat_id=1015)
    assert await gone_away.press("Русский") == []
    reply = await person(telegram, 1016, "ru", "Жамиля").send("/start")
    assert "Добро пожаловать в «Кенеш»" in texts(reply)
