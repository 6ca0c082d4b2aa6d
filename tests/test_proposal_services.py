"""Proposals against the real database: search that folds every Cyrillic letter, similar
proposals, support counted once, moderation, withdrawal, merge, the daily limit."""

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import proposals
from bot.services.errors import InvalidInput
from bot.services.proposals import ProposalDraft
from db.models import OutboxMessage
from tests.test_event_services import person, session

__all__ = ["session"]

BATKEN = [
    # The five proposals received at the Batken open dialogue platform (seed 003), shortened.
    (
        "local-government",
        "Баткен облусуна өзгөчө статус берүү жөнүндө мыйзам долбоорун иштеп чыгуу",
    ),
    ("migration", "Чек арага жакын айылдардан ички миграцияны азайтуу үчүн жумуш орундарын түзүү"),
    ("education", "Баткендеги мектептерге мугалимдерди тартуу үчүн үй жана кошумча акы берүү"),
    ("social", "Өрүк бактарын суу менен камсыз кылуу жана дыйкандарга жеңилдетилген насыя"),
    ("border", "Чек ара аймактарындагы жолдорду оңдоо жана коопсуздукту күчөтүү"),
]


async def published(session: AsyncSession, topic: str, text: str, **extra: object):  # type: ignore[no-untyped-def]
    author = await person(session)
    draft = ProposalDraft(topic_code=topic, region_code="batken", text=text, **extra)  # type: ignore[arg-type]
    proposal = await proposals.submit(session, author, draft, daily_limit=10)
    organizer = await person(session)
    await proposals.approve(session, proposal, organizer)
    return proposal


async def found_by(session: AsyncSession, query: str) -> set[int]:
    """The ids on the first page /search shows for a query."""
    return {p.id for p in (await proposals.search(session, query))[0]}


async def test_search_folds_kyrgyz_letters_and_matches_suffixes(session: AsyncSession) -> None:
    found = {}
    for topic, text in BATKEN:
        found[topic] = await published(session, topic, text)
    hidden = await proposals.submit(
        session,
        await person(session),
        ProposalDraft("social", "batken", "Өрүк " * 10),
        daily_limit=10,
    )
    await session.commit()

    assert await found_by(session, "баткен") == {
        found["local-government"].id,
        found["education"].id,
    }
    assert await found_by(session, "БАТКЕН") == await found_by(session, "баткен")
    # The submitted one is not public yet.
    assert await found_by(session, "өрүк") == {found["social"].id}
    assert await found_by(session, "ӨРҮК") == {found["social"].id}
    assert hidden.id not in await found_by(session, "өрүк")
    assert await found_by(session, "чек ара") == {found["border"].id, found["migration"].id}
    assert await found_by(session, "жолдор") == {found["border"].id}  # a prefix of жолдорду
    assert await found_by(session, 'Йошкар-Ола "; DROP TABLE') == set()
    assert await found_by(session, "...") == set()


async def test_search_matches_every_start_of_a_word_short_or_long(session: AsyncSession) -> None:
    """PostgreSQL keeps every start of a word up to 32 letters as an entry of its own
    (0019_search_starts); a start of one letter, one that runs to the end of the word and a
    query word longer than 32 letters find the proposal as a prefix does on SQLite."""
    long_word = "Мамлекеттикмаалыматтыксистемаларынынбирдейлиги"  # 46 letters
    assert len(long_word) > 40
    found = await published(session, "education", f"{long_word} жана Ысык-Көл мектептери")
    await published(session, "transport", "Жолдорду оңдоо керек")
    await session.commit()

    for query in (long_word, long_word[:40], long_word[:32], "ма", "м мектеп", "ысык көл"):
        assert await found_by(session, query) == {found.id}, query
    assert await found_by(session, "мектептеринде") == set()  # longer than the word in the text
    # Parts ways with the long word within its first 32 letters.
    assert await found_by(session, "мамлекеттикмаалыматсыз") == set()


async def test_similar_proposals_on_the_same_topic(session: AsyncSession) -> None:
    roads = await published(
        session, "border", "Чек ара аймактарындагы жолдорду оңдоо жана коопсуздукту күчөтүү"
    )
    await published(session, "transport", "Чек ара аймактарындагы жолдорду оңдоо керек")
    await session.commit()
    hints = await proposals.similar(
        session, "border", "Чек ара аймактарындагы жолдорду тезинен оңдоо зарыл"
    )
    assert [p.id for p in hints] == [roads.id]
    assert await proposals.similar(session, "border", "Туризмди өнүктүрүү жөнүндө сунуш") == []


async def test_support_once_taken_back_and_not_ones_own(session: AsyncSession) -> None:
    proposal = await published(session, "education", BATKEN[2][1])
    fan = await person(session)
    assert await proposals.support(session, proposal, fan) is True
    assert proposal.support_count == 1
    assert await proposals.support(session, proposal, fan) is False  # a double tap
    assert proposal.support_count == 1
    assert await proposals.take_back_support(session, proposal, fan) is True
    assert await proposals.take_back_support(session, proposal, fan) is False
    assert proposal.support_count == 0
    author = await session.get(type(fan), proposal.author_id)
    with pytest.raises(InvalidInput, match="own_proposal"):
        await proposals.support(session, proposal, author)  # type: ignore[arg-type]


async def test_rejection_withdrawal_and_the_authors_notices(session: AsyncSession) -> None:
    author = await person(session)
    organizer = await person(session)
    first = await proposals.submit(
        session,
        author,
        ProposalDraft("water", "batken", "Сугат каналдарын оңдоо керек " * 2),
        daily_limit=10,
    )
    await proposals.reject(session, first, organizer, "Бул сунуш мурда жарыяланган")
    assert first.status == "rejected"
    second = await proposals.submit(
        session,
        author,
        ProposalDraft("water", "osh", "Ош шаарында ичүүчү суу жетишсиз " * 2),
        daily_limit=10,
    )
    await proposals.withdraw(session, second, author)
    with pytest.raises(InvalidInput, match="not_withdrawable"):
        await proposals.withdraw(session, first, author)
    notices = list(
        await session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == author.id))
    )
    assert [(n.params["status"], n.params["note"]) for n in notices] == [
        ("rejected", "Бул сунуш мурда жарыяланган"),
        ("withdrawn", ""),
    ]
    history = await proposals.history(session, first)
    assert [h.status for h in history] == ["submitted", "rejected"]


async def test_text_length_and_daily_limit(session: AsyncSession) -> None:
    author = await person(session)
    with pytest.raises(InvalidInput, match="proposal_too_short"):
        await proposals.submit(
            session, author, ProposalDraft("other", "osh", "Кыска"), daily_limit=2
        )
    with pytest.raises(InvalidInput, match="proposal_too_long"):
        await proposals.submit(
            session, author, ProposalDraft("other", "osh", "ж" * 4001), daily_limit=2
        )
    for _ in range(2):
        await proposals.submit(
            session, author, ProposalDraft("other", "osh", "ж" * 4000), daily_limit=2
        )
    with pytest.raises(InvalidInput, match="daily_limit"):
        await proposals.submit(
            session, author, ProposalDraft("other", "osh", "ж" * 30), daily_limit=2
        )


async def test_merge_carries_supporters_once(session: AsyncSession) -> None:
    target = await published(session, "border", BATKEN[4][1])
    duplicate = await published(
        session, "border", "Чек арадагы жолдорду оңдоо керек, коопсуздук үчүн"
    )
    both, only_dup = await person(session), await person(session)
    await proposals.support(session, target, both)
    await proposals.support(session, duplicate, both)
    await proposals.support(session, duplicate, only_dup)
    organizer = await person(session)
    count = await proposals.merge(session, duplicate, target, organizer)
    # both (once), only_dup, and the duplicate's author
    assert count == 3 == target.support_count
    assert duplicate.merged_into_id == target.id
    assert duplicate.id not in {p.id for p in (await proposals.browse(session, topic="border"))[0]}
    told = set(
        await session.scalars(
            select(OutboxMessage.user_id).where(OutboxMessage.template == "proposal_merged")
        )
    )
    assert told == {duplicate.author_id, both.id, only_dup.id}


async def test_a_proposal_to_an_event_is_found_by_that_event(session: AsyncSession) -> None:
    from tests.test_event_services import make_event

    event = await make_event(session)
    to_event = await published(session, "border", BATKEN[4][1], event_id=event.id)
    await published(session, "border", "Чек ара бекеттериндеги кезекти кыскартуу керек")
    found, total = await proposals.browse(session, event_id=event.id)
    assert total == 1 and found[0].id == to_event.id
