"""An organizer forwards all the published proposals of an event at once, from the event's
card: a preview per agency, "no" forwards nothing, "yes" forwards each to its topic's agency
(the author and the representative hear of it), a topic with no agency is left for routing
by hand, and a participant's forged press changes nothing."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.keyboards.agencies import AgencyWorkCb
from bot.services import agencies, events, proposals
from bot.services.proposals import ProposalDraft
from db.models import Agency, Forwarding, Proposal, User, utcnow
from tests.db_fixtures import session_on
from tests.e2e import person, texts
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import ADMIN_ID, RunningBot
from tests.people import Participant, add_participants

AUTHOR, REPRESENTATIVE = 5301, 5302
TZ = ZoneInfo("Asia/Bishkek")


async def event_with_proposals(database_url: str) -> tuple[int, dict[str, int], str]:
    """A published event with proposals on education and water (both have an agency), on
    border areas (none), one still waiting for moderation, and one outside the event; and an
    invitation to represent the education ministry."""
    async with session_on(database_url) as session:
        admin = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
        author = await session.scalar(select(User).where(User.telegram_id == AUTHOR))
        assert admin is not None and author is not None
        minedu = await session.scalar(select(Agency).where(Agency.code == "minedu"))
        assert minedu is not None
        _, token = await agencies.create_invitation(session, minedu, admin)
        start = utcnow() - timedelta(days=2)
        event = await events.save_event(
            session,
            events.EventDraft(
                kind_code="dialogue",
                title_ky="Баткен облусунун өнүгүүсү",
                title_ru="Развитие Баткенской области",
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                format="in_person",
                venue="Баткен шаары",
                region_code="batken",
                topic_codes=["education", "water", "border"],
            ),
            author=admin,
            publish=True,
            tz=TZ,
            now=start - timedelta(days=10),
        )
        ids: dict[str, int] = {}
        for key, topic, text, event_id, approve in [
            ("school", "education", "Баткенде мектептерге мугалим жетишпейт", event.id, True),
            ("canal", "water", "Сугат каналын оңдоо керек", event.id, True),
            ("road", "border", "Чек ара айылдарына жол керек", event.id, True),
            ("waiting", "education", "Китепканага жаңы китептер керек", event.id, False),
            ("elsewhere", "education", "Мектепке спорт зал керек", None, True),
        ]:
            draft = ProposalDraft(topic, "batken", text, event_id=event_id)
            proposal = await proposals.submit(session, author, draft, daily_limit=10)
            if approve:
                await proposals.approve(session, proposal, admin)
            ids[key] = proposal.id
        await session.commit()
        return event.id, ids, token


async def forwarded(database_url: str) -> dict[int, str]:
    """Proposal id -> the agency's code, for every forwarding in the database."""
    async with session_on(database_url) as session:
        rows = await session.execute(
            select(Forwarding.proposal_id, Agency.code).join(
                Agency, Agency.id == Forwarding.agency_id
            )
        )
        return {proposal_id: code for proposal_id, code in rows.all()}


async def statuses(database_url: str, ids: dict[str, int]) -> dict[str, str]:
    async with session_on(database_url) as session:
        rows = await session.execute(
            select(Proposal.id, Proposal.status).where(Proposal.id.in_(ids.values()))
        )
        by_id = {proposal_id: status for proposal_id, status in rows.all()}
    return {key: by_id[proposal_id] for key, proposal_id in ids.items()}


async def test_an_event_s_proposals_go_to_their_agencies_at_once(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ky", full_name="Уюштуруучу"),
        Participant(AUTHOR, "ru", "batken", full_name="Нурлан Токтосунов"),
        Participant(REPRESENTATIVE, "ky", full_name="Министрликтин өкүлү"),
    )
    event_id, ids, token = await event_with_proposals(database_url)
    organizer = person(telegram, ADMIN_ID, "ky", "Уюштуруучу")
    author = person(telegram, AUTHOR, "ru", "Нурлан")
    rep = person(telegram, REPRESENTATIVE, "ky", "Өкүл")
    assert "Мамлекеттик орган: Билим берүү" in texts(await rep.send(f"/start ag_{token}"))

    await organizer.send("/organize")
    await organizer.press("📋 Иш-чаралар")
    day = f"{(utcnow() - timedelta(days=2)).astimezone(TZ):%d.%m.%Y}"
    await organizer.press(f"✅ {day} Баткен облусунун өнүгүүсү")

    # The preview: what goes where, and what waits for routing by hand.
    preview = texts(await organizer.press("📨 Органдарга жөнөтүү"))
    assert "Жарыяланган 2 сунуш өз темасы боюнча жооптуу органдарга жөнөтүлсүнбү?" in preview
    assert "• Билим берүү министрлиги: 1" in preview
    assert "• Айыл чарба министрлиги: 1" in preview
    assert f"#{ids['road']} сунуштарынын темасына жооптуу орган бекитилген эмес" in preview
    assert "Эч нерсе жөнөтүлгөн жок." in texts(await organizer.press("Жок, азыр эмес"))
    assert await forwarded(database_url) == {}

    # A participant's forged press forwards nothing.
    await author.press_data(AgencyWorkCb(action="event_yes", id=event_id).pack())
    alert = telegram.calls_of("answerCallbackQuery")[-1].params
    assert alert["text"] == "Эта кнопка только для организаторов." and alert["show_alert"]
    assert await forwarded(database_url) == {}

    await organizer.press("📨 Органдарга жөнөтүү")
    done = texts(await organizer.press("Ооба, жөнөтүлсүн"))
    assert "Жөнөтүлдү: 2." in done and f"#{ids['road']}" in done
    assert await forwarded(database_url) == {ids["school"]: "minedu", ids["canal"]: "minagro"}
    assert await statuses(database_url, ids) == {
        "school": "forwarded",
        "canal": "forwarded",
        "road": "published",
        "waiting": "submitted",
        "elsewhere": "published",
    }
    # The author hears of each, in Russian; the representative gets the school's card.
    told = [
        await author.wait_for(
            lambda m, n=n: "Направлено в ответственный орган" in m.visible and f"#{n} " in m.visible
        )
        for n in (ids["school"], ids["canal"])
    ]
    assert len(told) == 2
    await rep.wait_for(lambda m: "Баткенде мектептерге мугалим жетишпейт" in m.visible)

    # Pressed again: nothing left but the proposal with no agency.
    again = texts(await organizer.press("📨 Органдарга жөнөтүү"))
    assert "Бул иш-чаранын жөнөтүлүүнү күтүп турган жарыяланган сунушу жок." in again
    assert f"#{ids['road']}" in again
