"""Who an announcement reaches: the audience filters, the opt-out, and an event's registrants."""

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import broadcasts, events
from bot.services.broadcasts import Audience
from tests.test_event_services import NOW, make_event, person, session

__all__ = ["session"]


async def reach(session: AsyncSession, audience: Audience) -> set[int]:
    return set(await session.scalars(broadcasts.audience_query(audience)))


async def test_filters_and_the_opt_out(session: AsyncSession) -> None:
    batken_ky = await person(session, region="batken", language="ky", category="student")
    osh_ru = await person(session, region="osh", language="ru", category="business")
    abroad = await person(session, region="abroad", country="KR", language="ky")
    quiet = await person(session, region="batken", language="ky")
    quiet.announcements_enabled = False
    gone = await person(session, region="batken", language="ru")
    gone.is_reachable = False
    await session.flush()

    assert await reach(session, Audience("region", "batken")) == {batken_ky.id}
    assert await reach(session, Audience("abroad")) == {abroad.id}
    assert await reach(session, Audience("language", "ru")) == {osh_ru.id}
    assert await reach(session, Audience("category", "student")) == {batken_ky.id}
    assert await reach(session, Audience("all")) == {batken_ky.id, osh_ru.id, abroad.id}


async def test_an_events_registrants_get_its_news_even_with_announcements_off(
    session: AsyncSession,
) -> None:
    event = await make_event(session, capacity=2)
    first, second, waiting = [await person(session) for _ in range(3)]
    second.announcements_enabled = False
    for someone in (first, second, waiting):
        await events.register(session, someone, event.id, now=NOW)
    await session.flush()
    assert await reach(session, Audience("event", str(event.id))) == {first.id, second.id}
