"""Poll and survey rules against the real database: options checked against Telegram's limits,
proposals paged into as few polls as allowed, answers stored and retracted, closed polls not
counted, breakdowns that never show a group under 5, no names for an anonymous poll, and the
survey sweep exactly once (with an explicit `now`)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import polls, surveys
from bot.services.broadcasts import Audience
from bot.services.errors import InvalidInput
from db.models import OutboxMessage, PollCopy, Registration
from tests.test_event_services import NOW, make_event, person, session

__all__ = ["session"]


def test_options_are_checked_against_telegrams_limits() -> None:
    assert polls.parse_options("  Ооба\nЖок \n\n") == ["Ооба", "Жок"]
    cases = {
        "\n".join(str(n) for n in range(13)): "poll_too_many_options",
        "Ооба\n\nЖок": "poll_option_empty",
        "Ооба\n" + "ж" * 101: "poll_option_too_long",
        "Ооба": "poll_too_few_options",
        "Ооба\nоОба": "poll_option_duplicate",
    }
    for text, reason in cases.items():
        with pytest.raises(InvalidInput) as caught:
            polls.parse_options(text)
        assert caught.value.reason == reason
    assert polls.parse_options("\n".join(str(n) for n in range(12)))[-1] == "11"
    with pytest.raises(InvalidInput, match="poll_options_mismatch"):
        polls.combine_options(["a", "b"], ["a", "b", "c"])
    assert polls.combine_options(None, ["a", "b"]) == [{"ru": "a"}, {"ru": "b"}]
    with pytest.raises(InvalidInput, match="poll_question_too_long"):
        polls.check_question("?" * 301)


def test_proposals_are_paged_into_as_few_polls_as_telegram_allows() -> None:
    def sizes(n: int) -> list[int]:
        return [len(page) for page in polls.pages([{"ky": str(i)} for i in range(n)])]

    assert sizes(0) == [] and sizes(12) == [12] and sizes(13) == [7, 6]
    assert sizes(25) == [9, 8, 8] and sizes(36) == [12, 12, 12]


async def _poll(session: AsyncSession, anonymous: bool) -> tuple[polls.Poll, list]:  # type: ignore[type-arg]
    author = await person(session)
    people = [
        await person(session, region="bishkek" if i < 5 else "osh", gender="male") for i in range(7)
    ]
    poll = await polls.start(
        session,
        author=author,
        question_ky="Суроо?",
        question_ru=None,
        options=polls.combine_options(["Ооба", "Жок"], None),
        allows_multiple=False,
        is_anonymous=anonymous,
        audience=Audience("all"),
    )
    for n, someone in enumerate(people):
        session.add(
            PollCopy(
                telegram_poll_id=f"tg-{poll.id}-{n}",
                poll_id=poll.id,
                user_id=someone.id,
                language="ky",
                chat_id=someone.telegram_id,
                message_id=1,
            )
        )
    await session.flush()
    return poll, people


async def test_answers_breakdowns_and_closing(session: AsyncSession) -> None:
    poll, people = await _poll(session, anonymous=True)
    rows = await session.scalar(
        select(func.count()).where(OutboxMessage.dedupe_key.like(f"poll:{poll.id}:%"))
    )
    assert rows == poll.total == 8  # everyone registered, the author too
    for n, someone in enumerate(people):
        answered = await polls.record_answer(session, f"tg-{poll.id}-{n}", someone, [n % 2])
        assert answered.outcome == "stored"
    # Someone else's copy, a second option in a one-answer poll, a retraction.
    assert (await polls.record_answer(session, f"tg-{poll.id}-0", people[1], [0])).outcome == (
        "unknown"
    )
    await polls.record_answer(session, f"tg-{poll.id}-1", people[1], [0, 1])
    await polls.record_answer(session, f"tg-{poll.id}-6", people[6], [])
    results = await polls.results(session, poll, "ky")
    assert results.counts == [4, 2] and results.answered == 6 and results.retracted == 1
    groups = await polls.breakdown(session, poll, "region", "ru", "—")
    assert [(g.name, g.people, g.counts, g.hidden) for g in groups] == [
        ("город Бишкек", 5, [4, 1], False),
        ("город Ош", 1, [], True),
    ]
    with pytest.raises(InvalidInput, match="poll_is_anonymous"):
        await polls.voters(session, poll)

    assert await polls.close(session, poll) == 7
    assert await polls.close(session, poll) == 0
    late = await polls.record_answer(session, f"tg-{poll.id}-2", people[2], [1])
    assert late.outcome == "closed"
    assert (await polls.results(session, poll, "ky")).counts == [4, 2]
    stops = await session.scalar(select(func.count()).where(OutboxMessage.template == "poll_stop"))
    dropped = await session.scalar(
        select(func.count()).where(
            OutboxMessage.dedupe_key.like(f"poll:{poll.id}:%"), OutboxMessage.status == "dropped"
        )
    )
    assert stops == 7 and dropped == 8


async def test_an_audience_of_nobody_is_refused(session: AsyncSession) -> None:
    author = await person(session)
    event = await make_event(session)
    with pytest.raises(InvalidInput, match="audience_empty"):
        await polls.start(
            session,
            author=author,
            question_ky="?",
            question_ru=None,
            options=polls.combine_options(["a", "b"], None),
            allows_multiple=False,
            is_anonymous=True,
            audience=Audience("checked_in", str(event.id)),
        )


async def test_the_survey_sweep_asks_and_reminds_once(session: AsyncSession) -> None:
    event = await make_event(session)
    in_hall, away = await person(session), await person(session)
    for someone, attended in ((in_hall, True), (away, False)):
        session.add(
            Registration(
                event_id=event.id,
                user_id=someone.id,
                status="registered",
                code=f"C{someone.id}",
                attended_at=NOW if attended else None,
            )
        )
    await session.flush()
    assert await surveys.queue_due_surveys(session, event.ends_at - timedelta(minutes=1)) == 0
    after = event.ends_at + timedelta(minutes=5)
    assert await surveys.queue_due_surveys(session, after) == 1
    assert await surveys.queue_due_surveys(session, after) == 0
    assert await surveys.queue_due_reminders(session, after + timedelta(hours=23)) == 0
    assert await surveys.queue_due_reminders(session, after + timedelta(hours=25)) == 1
    assert await surveys.queue_due_reminders(session, after + timedelta(hours=49)) == 0
    with pytest.raises(InvalidInput, match="survey_not_asked"):
        await surveys.rate(session, event.id, away, 5)
    with pytest.raises(InvalidInput, match="survey_rating_invalid"):
        await surveys.rate(session, event.id, in_hall, 6)
    await surveys.rate(session, event.id, in_hall, 3)
    found = await surveys.results(session, event.id)
    assert (found.asked, found.answered, found.average) == (1, 1, 3.0)
