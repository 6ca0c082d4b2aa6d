"""Drafts against the real database and real files: parsing seed 002 (DOCX headings, Word
numbering, pasted text, the no-headings fallback, not-a-DOCX), long clauses split but never
cut, the two language versions paired, supports once, the period's end, the reminder sweep,
a new version telling commenters what changed, the table's files."""

import io
import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import events
from bot.services.drafts import (
    ACCEPTED,
    REJECTED,
    WORDING,
    comments,
    publishing,
    reading,
    sweeps,
    table,
)
from bot.services.drafts.parsing import parse_docx, parse_text, split_long
from bot.services.errors import InvalidInput
from db.models import Agency, DraftClause, OutboxMessage, Registration, utcnow
from tests.drafts_fixtures import CHAPTER_TITLES, docx_of, seed_blocks, seed_docx, seed_text
from tests.test_event_services import person, session

__all__ = ["session"]
TZ = ZoneInfo("Asia/Bishkek")


def test_seed_docx_splits_into_its_chapters_sections_and_clauses() -> None:
    parsed = parse_docx(seed_docx())
    assert parsed.has_headings
    titles = [chapter.title for chapter in parsed.chapters]
    assert titles == ["", *CHAPTER_TITLES]  # the decree's preamble comes before chapter 1
    sections = [s.title for c in parsed.chapters for s in c.sections if s.title]
    assert len(sections) == 28 and sections[0] == "2.1. Региондорду өнүктүрүүнүн кыскача сереби"
    numbers = [clause.number for *_rest, clause in parsed.clauses()]
    assert numbers[1:4] == ["1.1", "1.2", "1.3"] and "2.1.1" in numbers and "9.6.4" in numbers
    assert len(numbers) == len(set(numbers))
    # Every word of the seed is in some clause or heading: nothing dropped.
    words = re.findall(r"\w+", seed_text())
    kept = " ".join(
        [c.title for c in parsed.chapters]
        + [s.title for c in parsed.chapters for s in c.sections]
        + [clause.text for *_rest, clause in parsed.clauses()]
    )
    assert sorted(re.findall(r"\w+", kept)) == sorted(words)


def test_pasted_text_finds_the_same_chapters() -> None:
    parsed = parse_text(seed_text())
    assert [c.title for c in parsed.chapters][1:] == CHAPTER_TITLES
    assert parsed.has_headings


def test_without_headings_each_paragraph_is_a_clause() -> None:
    parsed = parse_docx(seed_docx(headings=False))
    assert not parsed.has_headings and len(parsed.chapters) == 1
    assert parsed.clause_count == len(seed_blocks())
    assert [c.number for *_r, c in parsed.clauses()][:3] == ["1", "2", "3"]


def test_word_numbering_makes_clauses_and_following_paragraphs_join_them() -> None:
    document = Document()
    document.add_heading("1. Жалпы жоболор", level=1)
    document.add_paragraph("Бул жобо аймактарды өнүктүрүүнү жөнгө салат.", style="List Number")
    document.add_paragraph("Анын уландысы, номери жок абзац.")
    document.add_paragraph("Жобо бардык аймактарга тиешелүү.", style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = parse_docx(buffer.getvalue())
    clauses = [clause for *_rest, clause in parsed.clauses()]
    assert [c.number for c in clauses] == ["1.1", "1.2"]
    assert clauses[0].text.endswith("\n\nАнын уландысы, номери жок абзац.")


@pytest.mark.parametrize(
    "data", [b"%PDF-1.4 a pdf", b"", b"PK\x03\x04 broken zip", b"\xd0\xcf\x11\xe0 old .doc"]
)
def test_anything_but_a_docx_is_refused(data: bytes) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_docx(data)
    assert error.value.reason == "not_docx"


def test_a_docx_without_text_is_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        parse_docx(docx_of([]))
    assert error.value.reason == "draft_empty"


def test_long_clauses_are_split_between_sentences_never_inside_a_word() -> None:
    sentence = "Региондордун тездетилген социалдык-экономикалык өнүгүүсүн камсыз кылуу. "
    paragraph = (sentence * 80).strip()  # about 5,800 characters, one paragraph
    text = paragraph + "\n\n" + "Экинчи абзац."
    pieces = split_long(text, 4096)
    assert len(pieces) == 2 and all(len(p) <= 4096 for p in pieces)
    assert pieces[0].endswith("камсыз кылуу.")
    assert " ".join(" ".join(pieces).split()) == " ".join(text.split())
    one_word_sentence = "а" * 10 + " " + "б" * 5000
    assert all(len(p) <= 4096 for p in split_long(one_word_sentence, 4096))


async def pending_seed(session: AsyncSession, *, event_id: int | None = None):  # type: ignore[no-untyped-def]
    organizer = await person(session)
    agency = await session.scalar(select(Agency).where(Agency.code == "minagro"))
    assert agency is not None
    form = publishing.DraftForm(
        "Концепция", None, agency.id, (utcnow() + timedelta(days=30)).date(), event_id
    )
    draft = await publishing.create_pending(
        session, form, parse_docx(seed_docx()), organizer, utcnow(), TZ
    )
    return draft, organizer


async def test_the_russian_version_is_paired_clause_by_clause(session: AsyncSession) -> None:
    draft, _ = await pending_seed(session)
    russian = [(level, f"Перевод: {text}" if level == 0 else text) for level, text in seed_blocks()]
    pairing = await publishing.add_translation(session, draft, parse_docx(docx_of(russian)))
    assert pairing.unpaired_primary == 0 and pairing.unpaired_secondary == 0
    clause = await session.scalar(
        select(DraftClause).where(DraftClause.draft_id == draft.id, DraftClause.number == "2.1.1")
    )
    assert clause is not None and clause.text_ru == "Перевод: " + (clause.text_ky or "")
    assert clause.text("ru").startswith("Перевод:") and not clause.text("ky").startswith("Пер")
    shorter = docx_of(russian[:-3])
    pairing = await publishing.add_translation(session, draft, parse_docx(shorter))
    assert pairing.unpaired_primary > 0


async def test_comments_supports_period_and_decisions(session: AsyncSession) -> None:
    draft, organizer = await pending_seed(session)
    clause_id = (await reading.outline(session, draft.id))[2].first_clause_id
    author = await person(session, region="osh")
    with pytest.raises(InvalidInput) as error:  # not yet published
        await comments.add(
            session,
            author,
            comments.NewComment(clause_id, "comment", "Пикир", None, True),
            utcnow(),
        )
    assert error.value.reason == "clause_not_found"
    await publishing.confirm(session, draft, utcnow())
    for text, reason in (("", "clause"), ("ө" * 10_000, "comment_too_long")):
        with pytest.raises(InvalidInput) as error:
            await comments.add(
                session,
                author,
                comments.NewComment(clause_id, "comment", text, None, True),
                utcnow(),
            )
        assert error.value.reason == ("comment_empty" if not text else reason)
    with pytest.raises(InvalidInput) as error:  # a wording needs its reason
        await comments.add(
            session,
            author,
            comments.NewComment(clause_id, WORDING, "Жаңы текст", " ", False),
            utcnow(),
        )
    assert error.value.reason == "comment_empty"
    comment = await comments.add(
        session, author, comments.NewComment(clause_id, "comment", "Макулмун", None, True), utcnow()
    )
    assert (await session.get(DraftClause, clause_id)).comment_count == 1  # type: ignore[union-attr]
    supporter = await person(session)
    assert await comments.support(session, supporter, comment.id, utcnow()) == 1
    for who, reason in ((supporter, "already_supported"), (author, "own_comment")):
        with pytest.raises(InvalidInput) as error:
            await comments.support(session, who, comment.id, utcnow())
        assert error.value.reason == reason
    assert (await reading.most_discussed(session, draft.id))[0].id == clause_id
    later = draft.closes_at + timedelta(seconds=1)
    with pytest.raises(InvalidInput) as error:
        await comments.add(
            session, author, comments.NewComment(clause_id, "comment", "Кеч", None, True), later
        )
    assert error.value.reason == "discussion_closed"
    assert await comments.to_review(session, draft.id) == comment
    with pytest.raises(InvalidInput):
        await comments.decide(session, comment.id, ACCEPTED, "  ", organizer, later)
    await comments.decide(session, comment.id, REJECTED, "Себеби бар", organizer, later)
    assert await comments.to_review(session, draft.id) is None
    notice = await session.scalar(
        select(OutboxMessage).where(OutboxMessage.template == "draft_decision")
    )
    assert notice is not None and notice.user_id == author.id
    assert notice.params["decision"] == REJECTED and notice.params["reason"] == "Себеби бар"


async def test_the_sweep_reminds_registrants_once_and_closes_the_period(
    session: AsyncSession,
) -> None:
    organizer = await person(session)
    event = await events.save_event(
        session,
        events.EventDraft(
            kind_code="public-hearing",
            title_ky="Коомдук угуу",
            starts_at=utcnow() + timedelta(days=20),
            ends_at=utcnow() + timedelta(days=20, hours=2),
            format="in_person",
            venue="Бишкек",
            region_code="bishkek",
        ),
        author=organizer,
        publish=True,
        tz=TZ,
        now=utcnow(),
    )
    registrant = await person(session)
    session.add(
        Registration(event_id=event.id, user_id=registrant.id, status="registered", code="DRAFT1")
    )
    draft, _ = await pending_seed(session, event_id=event.id)
    await publishing.confirm(session, draft, utcnow())
    assert await sweeps.queue_due(session, utcnow(), TZ) == 0  # 30 days left
    soon = draft.closes_at - timedelta(days=2)
    assert await sweeps.queue_due(session, soon, TZ) == 1
    assert await sweeps.queue_due(session, soon + timedelta(hours=1), TZ) == 0
    assert await sweeps.queue_due(session, draft.closes_at, TZ) == 1  # to the organizer
    assert draft.closed_at is not None
    assert await sweeps.queue_due(session, draft.closes_at + timedelta(hours=1), TZ) == 0
    templates = [m.template for m in await session.scalars(select(OutboxMessage))]
    assert templates.count("draft_closing_soon") == 1 and templates.count("draft_closed") == 1


async def test_a_new_version_tells_the_commenters_of_changed_clauses(
    session: AsyncSession,
) -> None:
    draft, _ = await pending_seed(session)
    await publishing.confirm(session, draft, utcnow())
    outline = await reading.outline(session, draft.id)
    first = outline[2].first_clause_id
    author = await person(session)
    await comments.add(
        session, author, comments.NewComment(first, "comment", "Оңдоо керек", None, False), utcnow()
    )
    blocks = seed_blocks()
    changed = await session.get(DraftClause, first)
    assert changed is not None
    index = next(i for i, (_l, text) in enumerate(blocks) if text == changed.text_ky)
    blocks[index] = (0, "Жаңы редакция: " + blocks[index][1])
    assert await publishing.new_version(session, draft, parse_docx(docx_of(blocks)), utcnow()) == 1
    assert changed.text_ky.startswith("Жаңы редакция:")  # type: ignore[union-attr]
    notice = await session.scalar(
        select(OutboxMessage).where(OutboxMessage.template == "draft_clause_changed")
    )
    assert notice is not None and notice.user_id == author.id and notice.params["version"] == 2
    with pytest.raises(InvalidInput) as error:
        await publishing.new_version(session, draft, parse_docx(docx_of(blocks[:-5])), utcnow())
    assert error.value.reason == "structure_changed"


def test_the_table_files_hold_every_row_and_the_summary() -> None:
    rows = [
        table.TableRow(
            f"1.{i}",
            "Пункттун тексти",
            WORDING if i % 2 else "comment",
            f"Пикир {i}",
            "Себеби",
            "Жаран, Баткен облусу",
            ACCEPTED if i % 3 else None,
            "Ооба",
            "1. Бөлүм",
            "Баткен облусу" if i % 2 else "Россия",
            "Жаран",
            0,
        )
        for i in range(1, 13)
    ]
    labels = table.Labels(
        "Таблица", ("a", "b", "c", "d", "e", "f", "g"), "Редакция",
        lambda d: d or "—", "Жыйынтык", "Бөлүмдөр", "Аймактар", "Категориялар", "Баары", "Үлүшү",
    )  # fmt: skip
    document = Document(io.BytesIO(table.docx_bytes(rows, labels)))
    assert len(document.tables[0].rows) == 13
    assert document.tables[0].rows[1].cells[2].text == "Редакция: Пикир 1"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Баары: 12" in text and "Үлүшү: 67%" in text and "Россия: 6" in text
    workbook = load_workbook(io.BytesIO(table.xlsx_bytes(rows, labels, "Пикирлер")))
    assert workbook.worksheets[0].max_row == 13
    assert table.chapter_places(rows) == [("1. Бөлүм", [("Баткен облусу", 6), ("Россия", 6)])]
    assert table.chapter_chart("Диаграмма", table.chapter_places(rows))[:4] == b"\x89PNG"


def test_the_closing_day_is_checked() -> None:
    now = utcnow()
    today = now.astimezone(TZ).date()
    with pytest.raises(InvalidInput):
        publishing.check_closing_day(today - timedelta(days=1), now, TZ)
    with pytest.raises(InvalidInput):
        publishing.check_closing_day(today + timedelta(days=400), now, TZ)
    assert publishing.closes_at_of(date(2026, 12, 31), TZ).isoformat() == (
        "2026-12-31T18:00:00+00:00"
    )
