"""Search in Kyrgyz and Russian (prefixes of words: neither engine stems Kyrgyz), and the
published proposals similar to one being written."""

import re

from sqlalchemy import Select, TextClause, bindparam, column, select, table, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.proposals.reading import PAGE_SIZE, SEARCH_COUNT_CAP, _public
from db.dialect import is_postgres
from db.models import Proposal

# The FTS5 table the migration creates on SQLite (not a model: it has no columns of ours).
FTS_TABLE = table("proposals_fts", column("rowid"))
_WORD = re.compile(r"\w+", re.UNICODE)


def fold(word: str) -> str:
    """What the search index holds for a word: lower case, ё as е (ң, ө, ү stay)."""
    return word.lower().replace("ё", "е")


def search_words(query: str, limit: int | None = 8) -> list[str]:
    """The words of a query, lower-cased, ё as е (as the index holds them, migration
    0010_journey_fixes); punctuation and quotes can never reach the engine."""
    return [fold(word) for word in _WORD.findall(query)][:limit]


# PostgreSQL stores every start of every word up to this many letters
# (0019_search_starts); a longer query word is looked up by its first LONGEST_START.
LONGEST_START = 32


def pg_match(words: list[str], *, any_word: bool = False) -> TextClause:
    """PostgreSQL: the proposal's stored word starts (0019_search_starts: folded, ё as е)
    hold every word (or any): a query word is one exact entry of the GIN index, where a
    prefix query made it gather the proposals of every word the prefix starts."""
    joiner = " | " if any_word else " & "
    query = joiner.join(word[:LONGEST_START] for word in words)
    # In the statement's text, not a parameter: a prepared statement's generic plan cannot
    # know how common the words are, and it took the GIN index for every word, gathering
    # all of a common word's matches (жана: 4 ms planned for the word, 94 ms generic).
    return text("proposals.search_starts @@ to_tsquery('simple', :tsquery)").bindparams(
        bindparam("tsquery", query, literal_execute=True)
    )


def _matching_ids(session: AsyncSession, words: list[str], *, any_word: bool = False) -> Select:  # type: ignore[type-arg]
    """Ids of proposals whose text has every word (or any, for similarity) as a prefix:
    Kyrgyz adds suffixes (шаар, шаары, шаарында), which neither engine stems."""
    if is_postgres(session):
        return select(Proposal.id).where(pg_match(words, any_word=any_word))
    joiner = " OR " if any_word else " AND "
    match = joiner.join(f'"{word}"*' for word in words)
    return (
        select(text("rowid"))
        .select_from(text("proposals_fts"))
        .where(text("proposals_fts MATCH :match"))
        .params(match=match)
    )


async def pg_newest_matches(
    session: AsyncSession,
    matches: Select,  # type: ignore[type-arg]
    *,
    limit: int,
    offset: int = 0,
    before_id: int | None = None,
) -> tuple[list[Proposal], int]:
    """PostgreSQL: a page of `matches` (proposals with pg_match among their conditions)
    newest first, and their number up to SEARCH_COUNT_CAP.
    Any SEARCH_COUNT_CAP matches first (the GIN index for a rare word, the table in its
    order for a common one: either stops early): fewer means they are all of them, and the
    page is picked among them. A common word's page then walks the id index newest first,
    checking the stored words, and stops after a page: its matches are dense. Ordering all
    matches newest first would read every match of a common word; walking newest first for
    a rare one would read the whole table (two words: 50 s at a million)."""
    found = list(
        await session.scalars(matches.with_only_columns(Proposal.id).limit(SEARCH_COUNT_CAP))
    )
    total = len(found)
    if total < SEARCH_COUNT_CAP:
        chosen = _among(sorted(found, reverse=True), offset, limit, before_id)
        return await _newest_by_id(session, chosen), total
    ordered = matches.order_by(Proposal.id.desc())
    if before_id is not None:
        ordered = ordered.where(Proposal.id < before_id)
    rows = await session.scalars(ordered.offset(offset).limit(limit))
    return list(rows), total


async def search(
    session: AsyncSession, query: str, page: int = 0, *, before_id: int | None = None
) -> tuple[list[Proposal], int]:
    """Newest first; the next page starts below the last id seen (`before_id`). The total
    stops counting at SEARCH_COUNT_CAP: a common word matches
    most proposals, and counting them all costs more than the page itself."""
    words = search_words(query)
    if not words:
        return [], 0
    if is_postgres(session):
        return await pg_newest_matches(
            session,
            _public().where(pg_match(words)),
            limit=PAGE_SIZE,
            offset=0 if before_id is not None else page * PAGE_SIZE,
            before_id=before_id,
        )
    # Walking the FTS index newest first and joining stops after one page; filtering
    # proposals by an IN (all matches) list would read every match of a common word.
    match = " AND ".join(f'"{word}"*' for word in words)
    ordered = (
        _public()
        .join(FTS_TABLE, FTS_TABLE.c.rowid == Proposal.id)
        .where(text("proposals_fts MATCH :match"))
        .params(match=match)
        .order_by(FTS_TABLE.c.rowid.desc())
    )
    # A word longer than the prefix indexes (0016_search_prefixes) makes FTS5 gather
    # the proposals of every indexed word it starts, all of them, before the first
    # match, and again for each query: one walk gives the total and the page's ids.
    newest = await session.scalars(ordered.with_only_columns(Proposal.id).limit(SEARCH_COUNT_CAP))
    found = list(newest)
    total = len(found)
    offset = 0 if before_id is not None else page * PAGE_SIZE
    page_ids = _among(found, offset, PAGE_SIZE, before_id)
    # Complete, or a full page: else the page runs past the newest SEARCH_COUNT_CAP matches.
    if total < SEARCH_COUNT_CAP or len(page_ids) == PAGE_SIZE:
        return await _newest_by_id(session, page_ids), total
    # A page beyond the newest SEARCH_COUNT_CAP matches: asked of the index again.
    if before_id is not None:
        ordered = ordered.where(Proposal.id < before_id)
    else:
        ordered = ordered.offset(page * PAGE_SIZE)
    rows = await session.scalars(ordered.limit(PAGE_SIZE))
    return list(rows), total


def _among(newest: list[int], offset: int, limit: int, before_id: int | None) -> list[int]:
    """A page's ids among matches listed newest first: below `before_id`, or from `offset`."""
    if before_id is not None:
        newest = [i for i in newest if i < before_id]
    return newest[offset : offset + limit]


async def _newest_by_id(session: AsyncSession, ids: list[int]) -> list[Proposal]:
    if not ids:
        return []
    wanted = select(Proposal).where(Proposal.id.in_(ids)).order_by(Proposal.id.desc())
    return list(await session.scalars(wanted))


async def similar(
    session: AsyncSession, topic_code: str, proposal_text: str, limit: int = 3
) -> list[Proposal]:
    """Published proposals on the same topic sharing the most telling words (the longest)."""
    words = sorted(set(search_words(proposal_text, limit=None)), key=len, reverse=True)
    words = [w for w in words if len(w) >= 5][:6]
    if not words:
        return []
    ids = _matching_ids(session, words, any_word=True).scalar_subquery()
    query = (
        _public()
        .where(Proposal.topic_code == topic_code, Proposal.id.in_(ids))
        .order_by(Proposal.support_count.desc(), Proposal.id.desc())
        .limit(50)
    )
    candidates = list(await session.scalars(query))
    wanted = set(words)

    def overlap(p: Proposal) -> int:
        found = set(search_words(p.text, limit=None))
        return sum(1 for w in wanted if any(f.startswith(w) for f in found))

    ranked = sorted(candidates, key=lambda p: (-overlap(p), -p.support_count))
    return [p for p in ranked if overlap(p) >= min(2, len(wanted))][:limit]
