"""No dead buttons, for good (issue 13): participants, organizers, representatives and
administrators, in Kyrgyz and in Russian, press every inline button the bot shows them; each
press must be answered, and an alert must not tell someone they lack a role they have. Every
CallbackData prefix and action the code builds must be reached, so a new button without a
handler fails here. Each person also sends every command named in /help, in the command
menus the bot registers and in the README, and each must answer.

The world the walk starts from (events, proposals, an agency's items, a summary) is written
through the services: it is the ground the walk stands on, not what it checks. Its draft, poll
and survey after an event are made by people through the bot (tests/walk_world.py)."""

import json
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.filters import Role, button_role
from bot.scheduler import sweep_agency_followup, sweep_event_reminders
from bot.services import agencies, events, proposals, summaries
from bot.services.proposals import ProposalDraft
from db.models import (
    Agency,
    Draft,
    DraftComment,
    Poll,
    Proposal,
    ProposalStatusChange,
    SurveyResponse,
    User,
    utcnow,
)
from tests.db_fixtures import session_on
from tests.e2e import person
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import RunningBot, make_settings
from tests.keyboard_walk import (
    ROOT,
    Walker,
    buttons_in_code,
    callback_classes,
    commands_in,
    pair_of,
)
from tests.people import Participant, add_participants
from tests.walk_world import (
    COMMENTER,
    WORLD_ORGANIZER,
    build_with_the_bot,
    comment_on_draft,
    organizer_steps,
    press_exact,
)

TZ = ZoneInfo("Asia/Bishkek")
ROLE_MSGIDS = {
    Role.ORGANIZER: "This button is for organizers.",
    Role.REPRESENTATIVE: "This button is for the representatives of agencies.",
    Role.ADMINISTRATOR: "This button is for administrators.",
}
# (role, language) -> telegram id
PEOPLE = {  # walked in this order: the administrators' presses revoke organizers last
    ("newcomer", "ky"): 16041,
    ("newcomer", "ru"): 16042,
    ("participant", "ky"): 16001,
    ("participant", "ru"): 16002,
    ("representative", "ky"): 16021,
    ("representative", "ru"): 16022,
    ("organizer", "ky"): 16011,
    ("organizer", "ru"): 16012,
    ("administrator", "ky"): 16031,
    ("administrator", "ru"): 16032,
}
ROLES = {
    "participant": set(),
    "newcomer": set(),
    "organizer": {Role.ORGANIZER},
    "representative": {Role.REPRESENTATIVE},
    "administrator": {Role.ADMINISTRATOR, Role.ORGANIZER},
}
WATER = "Баткен облусунда тамчылатып сугаруу системасын куруу керек, суу жетишпейт"

# Prefixes whose buttons the walk's world cannot show yet (none now): a new prefix must be
# reached by the walk.
NOT_WALKED_YET: set[str] = set()
SOMETHING_WENT_WRONG = "Something went wrong, please try again."


async def build_world(database_url: str) -> dict[str, int]:
    registered = [
        Participant(
            telegram_id,
            language,
            "batken",
            full_name=f"{role.title()} {language}",
            is_organizer=role == "organizer",
        )
        for (role, language), telegram_id in PEOPLE.items()
        if role != "newcomer"
    ] + [
        Participant(WORLD_ORGANIZER, "ky", "batken", full_name="Уюштуруучу", is_organizer=True),
        Participant(COMMENTER, "ru", "osh", full_name="Комментатор"),
    ]
    await add_participants(database_url, *registered)
    async with session_on(database_url) as session:
        people = {
            u.telegram_id: u
            for u in await session.scalars(select(User).where(User.telegram_id >= 16000))
        }
        admin = people[PEOPLE[("administrator", "ru")]]
        now = utcnow()

        def draft(**values: object) -> events.EventDraft:
            return events.EventDraft(
                kind_code="dialogue",
                title_ky=str(values.pop("title_ky")),
                title_ru=str(values.pop("title_ru")),
                format="in_person",
                venue="Баткен шаары",
                region_code="batken",
                topic_codes=["water", "education"],
                **values,  # type: ignore[arg-type]
            )

        soon = now + timedelta(hours=20)
        coming = await events.save_event(
            session,
            draft(
                title_ky="Суу боюнча диалог",
                title_ru="Диалог о воде",
                starts_at=soon,
                ends_at=soon + timedelta(hours=3),
            ),
            author=admin,
            publish=True,
            tz=TZ,
            now=now,
        )
        for extra in range(6):  # the event list pages
            start = now + timedelta(days=10 + extra)
            await events.save_event(
                session,
                draft(
                    title_ky=f"Форум {extra}",
                    title_ru=f"Форум {extra}",
                    starts_at=start,
                    ends_at=start + timedelta(hours=2),
                ),
                author=admin,
                publish=True,
                tz=TZ,
                now=now,
            )
        start = now + timedelta(days=30)
        draft_event = await events.save_event(
            session,
            draft(
                title_ky="Долбоор",
                title_ru="Черновик",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
            ),
            author=admin,
            publish=False,
            tz=TZ,
            now=now,
        )
        past_start = now - timedelta(days=3)
        past = await events.save_event(
            session,
            draft(
                title_ky="Өткөн жыйын",
                title_ru="Прошедшее собрание",
                starts_at=past_start,
                ends_at=past_start + timedelta(hours=2),
            ),
            author=admin,
            publish=True,
            tz=TZ,
            now=past_start - timedelta(days=5),
        )
        for (role, _language), telegram_id in PEOPLE.items():
            if role in ("participant", "representative"):
                await events.register(session, people[telegram_id], coming.id, now=now)
        # Proposals: six of each participant published (lists page), some waiting.
        authored: list[int] = []
        to_forward: list[int] = []
        for (role, _language), telegram_id in PEOPLE.items():
            if role != "participant":
                continue
            for n in range(7):
                text = (
                    f"{WATER}: сунуш {telegram_id}-{n}"
                    if n == 0
                    else (f"Мектептерге компьютер керек, сунуш {telegram_id}-{n}")
                )
                topic = "water" if n == 0 else "education"
                proposal = await proposals.submit(
                    session,
                    people[telegram_id],
                    ProposalDraft(topic, "batken", text, event_id=past.id if n < 3 else None),
                    daily_limit=100,
                )
                if n < 6:
                    await proposals.approve(session, proposal, admin)
                if 2 <= n <= 5:
                    to_forward.append(proposal.id)
            for n in range(12):  # waiting for moderation
                await proposals.submit(
                    session,
                    people[telegram_id],
                    ProposalDraft("energy", "osh", f"Айылга электр жарыгы керек, номер {n}"),
                    daily_limit=100,
                )
                authored.append(proposal.id)
        # Representatives of the education ministry, with open items and one answered.
        minedu = await session.scalar(select(Agency).where(Agency.code == "minedu"))
        assert minedu is not None
        for language in ("ky", "ru"):
            _, token = await agencies.create_invitation(session, minedu, admin)
            await agencies.accept_invitation(
                session, token, people[PEOPLE[("representative", language)]]
            )
        rep = people[PEOPLE[("representative", "ru")]]
        forwarded = to_forward[:6]
        items = []
        for proposal_id in forwarded:
            proposal = await proposals_get(session, proposal_id)
            items.append(await agencies.forward(session, proposal, minedu, admin, TZ))
        await agencies.answer(session, items[0].id, rep, "Мугалимдер жиберилет", "accepted")
        long_text = ("Жыйынтык. " * 700).strip()
        await summaries.publish(
            session, past, author=admin, text_ky=long_text, text_ru=("Итоги. " * 900).strip()
        )
        # The registrants of the event that ended, asked by the survey after it.
        for (role, _language), telegram_id in PEOPLE.items():
            if role in ("participant", "representative"):
                registered_at = past_start - timedelta(days=1)
                await events.register(session, people[telegram_id], past.id, now=registered_at)
        await session.commit()
        return {
            "agency": minedu.id,
            "coming": coming.id,
            "past": past.id,
            "draft": draft_event.id,
            "published": authored[1],
        }


async def proposals_get(session, proposal_id: int):  # type: ignore[no-untyped-def]
    from db.models import Proposal

    found = await session.get(Proposal, proposal_id)
    assert found is not None
    return found


# What people type into a step of a flow; a command sent in that step is that command, never
# the text (the walk sends every command after its presses, in whatever step they left).
TYPED = (
    DraftComment.text,
    DraftComment.decision_reason,
    Draft.title_ky,
    Draft.title_ru,
    Proposal.text,
    ProposalStatusChange.note,
    Poll.question_ky,
    Poll.question_ru,
    SurveyResponse.comment,
)


async def commands_kept_as_text(database_url: str) -> list[str]:
    async with session_on(database_url) as session:
        return [
            f"{column}: {value!r} was stored as typed text"
            for column in TYPED
            for value in await session.scalars(select(column).where(column.like("/%")))
        ]


def _json(value: object) -> list[dict[str, str]]:
    return json.loads(value) if isinstance(value, str) else value  # type: ignore[return-value]


def readme_commands() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return {c for c in re.findall(r"`/([a-z][a-z_]*)", text)}


async def script(walker: Walker, role: str, language: str, world: dict[str, int]) -> None:
    """The typed steps that open the deeper keyboards; buttons are pressed by their data."""
    w = walker

    if role == "newcomer":
        await w.send("/start")
        await w.press_first(f"lang:{language}")
        await w.press_first("consent:1")
        await w.send("Жаңы Катышуучу")
        return
    if role in ("participant", "representative"):
        await w.send("/propose")
        await w.press_first("pp:topic:water")
        await w.press_first("pp:region")
        await w.send(WATER + " тез арада")
        await w.press_first("pp:skip_attachment")
        await w.press_first("pp:anonymous")
        await w.press_first("pp:edit")
        await w.send(WATER + " эртерээк")
        await w.press_first("pp:submit")
        await w.send("/search керек")
        await w.send("/myproposals")
        await w.send("/proposals")
        await w.press_first("pr:open")
        await w.press_first("pr:support")
        await w.send("/events")
        await w.send("/summaries")
        await w.send("/profile")
        await w.send("/deleteme")
        await w.press_first("deleteme:0")
        await comment_on_draft(w, f"Бул пункт боюнча {role} {language} пикири.")
    if role == "representative":
        await w.send("/items")
        await w.press_first("agw:answer")
        await w.press_first("agw:outcome")
        await w.send("Министрлик мугалимдерди 2027-жылы жиберет.")
        await w.press_first("agw:nodoc")
        await w.send("/items")
        await w.press_first("agw:return")
        await w.send("Бул биздин ыйгарым укукка кирбейт.")
        await w.send("/items")
        await w.press_first("agw:extend")
        await w.send("5")
        await w.send("Маалымат чогултуу керек.")
        await w.send("/items")
    if role in ("organizer", "administrator"):
        year = utcnow().year + 1
        await w.send("/organize")
        await w.press_first("org:new")
        await w.press_first("evform:kind")
        await w.send("Жаңы диалог")
        await w.send("Новый диалог")
        await w.press_first("evform:skip")
        await w.send("Описание")
        await w.send(f"08.07.{year} 10:00")
        await w.send(f"08.07.{year} 13:00")
        await w.press_first("evform:format:in_person")
        await w.send("Баткен шаары")
        await w.press_first("evform:region")
        await w.press_first("evform:topic")
        await w.press_first("evform:done")
        await w.send("2")
        await w.press_first("evform:skip")
        await w.press_first("evform:save:publish")
        await w.send("/organize")
        await w.press_first("org:list")
        await w.press_first("org:view")
        await w.press_first("org:checkin")
        await w.send("ZZZZZZ")
        await w.send("/cancel")
        await w.send("/moderate")
        await w.press_first("md:reject")
        await w.send("Кайталанган сунуш")
        await w.send("/moderate")
        await w.press_first("md:topic")
        await w.press_first("md:region")
        await w.press_first("md:retag")
        await w.send("/announce")
        await w.send("Кулактандыруу")
        await w.send("Объявление")
        await w.press_first("skip:")
        await w.press_first("bc:audience:all")
        await w.press_first("bc:send")
        await w.press_in_reply("bc:stop")
        await w.send("/announce")
        await w.send("Экинчи")
        await w.press_first("skip:")
        await w.press_first("skip:")
        await w.press_first("bc:audience:region")
        await w.press_first("bc:pick")
        await w.press_first("bc:cancel")
        await w.send(f"/forward {world['published']}")
        await w.send("/agency minedu")
        await w.press_first("agd:invites")
        await w.press_first("agd:invite")
        await w.press_first("agd:invites")
        await w.press_first("agd:revoke")
        await w.send("/organize")
        await w.press_first("org:list")
        await press_exact(w, f"org:view:{world['draft']}")
        await w.press_first("org:publish")
        await w.send("/routes")
        await w.send("/stats")
        await w.send("/agencies")
        await w.send(f"/start ev_{world['past']}")
        await w.send("/organize")
        await w.press_first("org:list")
        await press_exact(w, f"org:view:{world['past']}")
        await w.press_first("sum:write")
        await w.send("Жыйынтыгы: суу маселеси чечилет.")
        await w.press_first("sum:next")
        await w.send("Итоги: вопрос воды решается.")
        await w.press_first("sum:next")
        await w.press_first("sum:publish")
    if role == "organizer":  # administrators, organizers too, meet these by the commands
        await organizer_steps(w, world)
    if role == "administrator":
        await w.send("/organizers")


async def test_every_button_and_command_answers_for_every_role_in_both_languages(
    database_url: str, telegram: FakeTelegramServer
) -> None:
    admins = ",".join(str(PEOPLE[("administrator", lang)]) for lang in ("ky", "ru"))
    bot = RunningBot(make_settings(database_url, telegram.base_url, admin_ids=admins))
    await bot.start()
    try:
        await run_walk(bot, telegram, database_url)
    finally:
        await bot.stop()


async def run_walk(bot: RunningBot, telegram: FakeTelegramServer, database_url: str) -> None:
    # They have all talked to the bot before.
    telegram.add_users([*PEOPLE.values(), WORLD_ORGANIZER, COMMENTER])
    world = await build_world(database_url)
    assert bot.app is not None
    classes = callback_classes()
    i18n = bot.i18n
    role_alerts = {
        str(role): {i18n.gettext(msgid, locale=lang) for lang in ("ky", "ru")}
        for role, msgid in ROLE_MSGIDS.items()
    }

    def walker_of(telegram_id: int, role: str, language: str, builds: str = "") -> Walker:
        someone = person(telegram, telegram_id, language, f"{role} {language}")
        roles = {str(r) for r in ROLES[role]}
        label = f"{builds}{role}/{language}"
        return Walker(telegram, someone, label, role_alerts, roles, classes)

    # The draft, the poll and the survey, made by people through the bot.
    builders = [
        walker_of(WORLD_ORGANIZER, "organizer", "ky", "world's "),
        walker_of(COMMENTER, "participant", "ru", "world's "),
    ]
    world["discussed"] = await build_with_the_bot(bot, world, *builders)
    # Notices with buttons: tomorrow's event reminders, an agency's items, the author's
    # question a week after an answer, the survey after the event that ended.
    await sweep_event_reminders(bot.app, now=utcnow())
    await sweep_agency_followup(bot.app, now=utcnow() + timedelta(days=8))
    for (role, _language), telegram_id in PEOPLE.items():
        if role in ("participant", "representative"):
            await person(telegram, telegram_id).wait_for(
                lambda m: "svy:" in str(m.reply_markup), timeout=30
            )
        if role == "participant":
            await person(telegram, telegram_id).wait_for(
                lambda m: "evr:" in str(m.reply_markup), timeout=30
            )
        if role == "representative":
            await person(telegram, telegram_id).wait_for(
                lambda m: "agw:answer" in str(m.reply_markup), timeout=30
            )
    menus = {
        command["command"]
        for call in telegram.calls_of("setMyCommands")
        for command in _json(call.params["commands"])
    }
    walkers: list[Walker] = []
    silent_commands: list[str] = []
    for (role, language), telegram_id in PEOPLE.items():
        walker = walker_of(telegram_id, role, language)
        someone = walker.person
        walkers.append(walker)
        await script(walker, role, language, world)
        await walker.press_everything()
        # Every command of /help, the menus and the README answers this person.
        help_text = "\n".join(m.visible for m in await someone.send("/help"))
        for command in sorted(commands_in(help_text) | menus | readme_commands()):
            if command in ("deleteme", "cancel"):
                continue  # /deleteme asks first; its buttons are walked above
            if not await someone.send(f"/{command}"):
                silent_commands.append(f"{role}/{language}: /{command}")
            await someone.send("/cancel")  # leave any flow the command started
        await walker.press_everything()
        # The walk pressed the other language's button too: back to the person's own.
        await someone.send("/language")
        await walker.press_first(f"lang:{language}")

    # Buttons of the other roles: a participant (and an organizer, for administrators' and
    # representatives' buttons) is told whom each is for, in their language.
    failures = [f for w in [*builders, *walkers] for f in w.failures]
    failures += [f"{w.label}: {a} not shown" for w in builders for a in w.absent]
    foreign_by_pair = {
        pair_of(data, classes): data
        for w in walkers
        for data in sorted(w.seen_data)
        if button_role(data) is not None
    }
    foreign = set(foreign_by_pair.values())
    for pressed_by, their_roles in (("participant", set()), ("organizer", {Role.ORGANIZER})):
        for language in ("ky", "ru"):
            someone = person(telegram, PEOPLE[(pressed_by, language)], language)
            for data in sorted(foreign):
                needed = button_role(data)
                if needed in their_roles:
                    continue
                await someone.press_data(data)
                answer = telegram.calls_of("answerCallbackQuery")[-1].params
                expected = i18n.gettext(ROLE_MSGIDS[needed], locale=language)  # type: ignore[index]
                if answer.get("text") != expected:
                    failures.append(f"{pressed_by}/{language} pressing {data!r}: {answer}")

    wrong = {i18n.gettext(SOMETHING_WENT_WRONG, locale=lang) for lang in ("ky", "ru")}
    failures += [
        f"an error told to {call.params.get('chat_id')}"
        for call in telegram.calls_of("sendMessage")
        if call.params.get("text") in wrong
    ]
    failures += await commands_kept_as_text(database_url)
    reached = {pair for w in walkers for pair in w.reached}
    missing = sorted(pair for pair in buttons_in_code() - reached if pair[0] not in NOT_WALKED_YET)
    unknown = sorted({p for p in reached if p[0] not in classes})
    assert not failures, "\n".join(failures[:40])
    assert not silent_commands, silent_commands
    absent = [f"{w.label}: {a}" for w in walkers for a in w.absent]
    assert not missing, f"buttons never reached by the walk: {missing}; not shown: {absent}"
    assert not unknown, f"callback data of no CallbackData class: {unknown}"
