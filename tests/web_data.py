"""A consultation as the bot would leave it, written through the services: people (some with
phone numbers, organisations, a country typed by hand), proposals in every state (published,
anonymous, still waiting for moderation, rejected, withdrawn, merged away), an agency that
answered one proposal late and left another overdue, an upcoming event and a past one with
registrations and a summary. `Consultation` says what the site may show and what it must not."""

from dataclasses import dataclass, field
from datetime import timedelta

from bot.services import agencies, events, proposals, summaries, users
from bot.services.proposals import ProposalDraft
from bot.services.users import Profile
from db.models import Event, Proposal, User, utcnow
from tests.db_fixtures import session_on
from tests.web_drafts import DraftIds, add_drafts

TZ_NAME = "Asia/Bishkek"


@dataclass
class Consultation:
    upcoming_event: int = 0
    past_event: int = 0
    named: int = 0  # a published proposal whose author chose to be named
    anonymous: int = 0
    overdue: int = 0  # forwarded, not answered, past its due date
    answered: int = 0  # answered, the author satisfied
    russian: int = 0  # a published proposal written in Russian
    unpublished: list[int] = field(default_factory=list)
    agency_code: str = "minwater"
    named_author: str = "Айгүл Асанова"
    drafts: DraftIds | None = None
    # Nothing of this may appear on any page or in any export.
    secrets: list[str] = field(default_factory=list)


PEOPLE = [
    # telegram id, name, gender, region, country, typed country, phone, organisation
    (
        7700111001,
        "Айгүл Асанова",
        "female",
        "bishkek",
        None,
        None,
        "+996700111001",
        "Асанова ЖЧК-7",
    ),
    (7700111002, "Жашыруун Автор", "male", "osh", None, None, "+996700111002", "Секрет ЖЧК"),
    (7700111003, "Бекзат Токтогулов", "male", "abroad", "RU", None, "+79161110003", None),
    (7700111004, "Нургүл Маматова", "female", "abroad", None, "Эстония-Тарту", None, None),
    (7700111005, "Уюштуруучу Адам", None, "bishkek", None, None, "+996555000005", None),
    (7700111006, "Мамлекеттик Өкүл", None, "bishkek", None, None, "+996555000006", None),
]


async def _person(session, row) -> User:  # type: ignore[no-untyped-def]
    telegram_id, name, gender, region, country, other, phone, organisation = row
    user = await users.get_or_create(session, telegram_id=telegram_id)
    await users.record_consent(session, user, True)
    await users.complete_registration(
        session,
        user,
        Profile(
            full_name=name,
            region_code=region,
            category_code="citizen",
            country_code=country,
            country_other=other,
            gender=gender,
            organisation=organisation,
            phone=phone,
        ),
    )
    return user


async def fill(database_url: str, summary_file: tuple[str, str] | None = None) -> Consultation:
    """`summary_file`: (file_id, name) of an outcome document the organizers uploaded."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(TZ_NAME)
    c = Consultation()
    now = utcnow()
    async with session_on(database_url) as session:
        people = [await _person(session, row) for row in PEOPLE]
        named, hidden, abroad, typed, organizer, representative = people
        organizer.is_organizer = True

        async def submit(author: User, text: str, **kwargs: object) -> Proposal:
            draft = ProposalDraft(text=text, **kwargs)  # type: ignore[arg-type]
            return await proposals.submit(session, author, draft, daily_limit=100)

        water = await submit(
            named,
            "Баткен облусунда сугат суусун көбөйтүү керек, арыктарды тазалоо зарыл.",
            topic_code="water",
            region_code="batken",
        )
        secret_author = await submit(
            hidden,
            "Ош шаарындагы мектептерге жаңы компьютерлер жана мугалимдер керек.",
            topic_code="education",
            region_code="osh",
            is_anonymous=True,
        )
        russian = await submit(
            abroad,
            "Нужно открыть консульство для соотечественников в Екатеринбурге.",
            topic_code="migration",
            region_code="abroad",
        )
        roads = await submit(
            typed,
            "Нарын жолун оңдоо жана кыш мезгилинде тазалоо тууралуу сунуш.",
            topic_code="transport",
            region_code="naryn",
        )
        waiting = await submit(
            named,
            "КУПУЯ-МОДЕРАЦИЯ сунушу али жарыяланган эмес, эч ким көрбөшү керек.",
            topic_code="water",
            region_code="talas",
        )
        rejected = await submit(
            named,
            "КУПУЯ-ЧЕТКЕ-КАГЫЛГАН сунуш, модератор четке какты.",
            topic_code="water",
            region_code="talas",
        )
        withdrawn = await submit(
            named,
            "КУПУЯ-КАЙТАРЫЛГАН сунуш, автор өзү кайтарып алды.",
            topic_code="water",
            region_code="talas",
        )
        duplicate = await submit(
            typed,
            "КУПУЯ-КОШУЛГАН сунуш, башка сунушка кошулду да өзүнчө көрүнбөйт.",
            topic_code="transport",
            region_code="naryn",
        )
        for p in (water, secret_author, russian, roads, rejected, duplicate):
            if p is not rejected:
                await proposals.approve(session, p, organizer)
        await proposals.reject(session, rejected, organizer, "КУПУЯ-СЕБЕП: жеке маалымат бар")
        await proposals.withdraw(session, withdrawn, named)
        await proposals.merge(session, duplicate, roads, organizer)
        await proposals.support(session, water, abroad)
        await proposals.support(session, water, typed)

        agency = await agencies.add_agency(
            session, c.agency_code, "Суу чарба министрлиги", "Министерство водного хозяйства", 10
        )
        _invitation, token = await agencies.create_invitation(session, agency, organizer)
        await agencies.accept_invitation(session, token, representative)
        long_ago = now - timedelta(days=30)
        late = await agencies.forward(session, roads, agency, organizer, tz, now=long_ago)
        answered = await agencies.forward(session, water, agency, organizer, tz, now=long_ago)
        reply = await agencies.answer(
            session,
            answered.id,
            representative,
            "Арыктар тазаланат, акча бөлүндү.",
            "accepted",
            now=long_ago + timedelta(days=4),
        )
        await agencies.record_satisfaction(session, reply.id, named, True)
        assert late.answered_at is None

        start = now + timedelta(days=10)
        draft = events.EventDraft(
            kind_code="dialogue",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            format="in_person",
            region_code="bishkek",
            title_ky="Суу боюнча диалог",
            title_ru="Диалог о воде",
            venue="Бишкек, Ала-Тоо аянты",
            topic_codes=["water"],
        )
        upcoming = await events.save_event(session, draft, author=organizer, publish=True, tz=tz)
        past_draft = events.EventDraft(
            kind_code="forum",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            format="in_person",
            region_code="osh",
            title_ky="Ош форуму",
            title_ru="Форум в Оше",
            venue="Ош, Мэрия",
            topic_codes=["education"],
        )
        past = await events.save_event(session, past_draft, author=organizer, publish=True, tz=tz)
        for person in (named, hidden, abroad, typed):
            await events.register(session, person, past.id)
            await events.register(session, person, upcoming.id)
        hidden_event = events.EventDraft(
            kind_code="session",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            format="in_person",
            region_code="bishkek",
            title_ky="КУПУЯ-ДРАФТ иш-чара",
            venue="Бишкек",
        )
        await events.save_event(session, hidden_event, author=organizer, publish=False, tz=tz)
        await session.flush()
        # The forum took place: time moves on (the services refuse to create past events).
        moved = await session.get(Event, past.id)
        assert moved is not None
        moved.starts_at, moved.ends_at = now - timedelta(days=3), now - timedelta(days=3, hours=-2)
        await summaries.publish(
            session,
            moved,
            author=organizer,
            text_ky="Форумда 4 сунуш кабыл алынды.",
            text_ru="На форуме принято 4 предложения.",
            file_id=summary_file[0] if summary_file else None,
            file_name=summary_file[1] if summary_file else None,
        )
        c.drafts = await add_drafts(session, agency, organizer, named, hidden, typed, tz)
        await session.commit()
        c.upcoming_event, c.past_event = upcoming.id, past.id
        c.named, c.anonymous, c.russian = water.id, secret_author.id, russian.id
        c.overdue, c.answered = roads.id, water.id
        c.unpublished = [waiting.id, rejected.id, withdrawn.id, duplicate.id]
        c.secrets = [
            *(str(row[0]) for row in PEOPLE),
            *(row[6] for row in PEOPLE if row[6]),
            *(row[6].lstrip("+") for row in PEOPLE if row[6]),
            "Жашыруун Автор",
            "Секрет ЖЧК",
            "Асанова ЖЧК-7",
            "Эстония-Тарту",
            "Уюштуруучу Адам",
            "Мамлекеттик Өкүл",
            "КУПУЯ",
            token,
        ]
    return c
