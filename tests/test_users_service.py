"""The person's record: validation of what they type, registration in one go, erasure."""

import pytest

from bot.services import outbox, users, validation
from bot.services.errors import InvalidInput
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade_to_head
from db.models import OutboxMessage
from db.seed import seed_reference_data


@pytest.fixture
async def session(database_url: str):  # type: ignore[no-untyped-def]
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    sessions = create_session_factory(engine)
    async with sessions() as session:
        await seed_reference_data(session)
        yield session
    await engine.dispose()


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Айгүл Асанова", "Айгүл Асанова"),
        ("  Нурлан   Д'Артаньян-Уулу ", "Нурлан Д'Артаньян-Уулу"),
        ("Ömer Yılmaz", "Ömer Yılmaz"),
        ("Өмүр", "Өмүр"),
    ],
)
def test_names_people_really_have_are_accepted(typed: str, kept: str) -> None:
    assert validation.full_name(typed) == kept


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("А", "name_too_short"),
        ("Ж" * 101, "name_too_long"),
        ("R2-D2", "name_bad_characters"),
        ("<b>Айгүл</b>", "name_bad_characters"),
        ("Айгүл--Асанова", "name_bad_characters"),
        ("😀😀", "name_bad_characters"),
    ],
)
def test_names_that_are_not_names_are_refused(typed: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validation.full_name(typed)
    assert caught.value.reason == reason


async def test_registration_is_written_whole_and_erasure_removes_it(session) -> None:  # type: ignore[no-untyped-def]
    user = await users.get_or_create(session, telegram_id=42)
    with pytest.raises(InvalidInput, match="consent_required"):
        await users.complete_registration(
            session, user, users.Profile("Айгүл Асанова", "batken", "student")
        )
    await users.record_consent(session, user, agreed=True)
    with pytest.raises(InvalidInput, match="unknown_region"):
        await users.complete_registration(
            session, user, users.Profile("Айгүл Асанова", "national", "student")
        )
    assert user.full_name is None  # a refused registration leaves nothing behind

    profile = users.Profile(
        "Айгүл Асанова", "abroad", "diaspora", country_code="KR", gender="female"
    )
    await users.complete_registration(session, user, profile)
    assert (user.region_code, user.country_code, user.gender) == ("abroad", "KR", "female")
    await outbox.enqueue(session, user_id=user.id, kind="test", template="text", params={})
    await session.commit()

    await users.erase_personal_data(session, user)
    await session.commit()
    assert (user.full_name, user.region_code, user.country_code, user.gender) == (
        None,
        None,
        None,
        None,
    )
    assert not user.is_registered and user.consent is None
    assert await outbox.pending_for(session, user.id) == []
    assert await session.get(OutboxMessage, 1) is None


async def test_outbox_dedupe_key_makes_a_second_enqueue_a_no_op(session) -> None:  # type: ignore[no-untyped-def]
    user = await users.get_or_create(session, telegram_id=43)
    first = await outbox.enqueue(
        session, user_id=user.id, kind="reminder", template="text", dedupe_key="event:1:24h:43"
    )
    second = await outbox.enqueue(
        session, user_id=user.id, kind="reminder", template="text", dedupe_key="event:1:24h:43"
    )
    await session.commit()
    assert (first, second) == (True, False)
    assert len(await outbox.pending_for(session, user.id)) == 1
