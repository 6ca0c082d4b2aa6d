"""The table of comments (DOCX and XLSX): for every comment the clause's number and text, the
comment or proposed wording with its reason, who wrote it (the name only where the author
agreed, else their category and region), the decision and its reason; and a summary: comments
per chapter, per region, per stakeholder category, and the share accepted. Also where the
comments on each chapter came from, for a chart. Labels come from the caller (already in the
reader's language), so this module knows no gettext."""

import io
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.drafts import ACCEPTED, PARTLY, WORDING
from db.models import (
    Country,
    DraftClause,
    DraftComment,
    Region,
    StakeholderCategory,
    User,
)

ABROAD = "abroad"

_Reference = TypeVar("_Reference", Region, Country, StakeholderCategory)


@dataclass(frozen=True)
class TableRow:
    number: str
    clause_text: str
    kind: str
    text: str
    reason: str
    who: str
    decision: str | None
    decision_reason: str
    chapter: str
    place: str  # region, or country for people abroad
    category: str
    supports: int


@dataclass
class Summary:
    total: int
    per_chapter: list[tuple[str, int]]
    per_place: list[tuple[str, int]]
    per_category: list[tuple[str, int]]
    decisions: Counter[str] = field(default_factory=Counter)

    @property
    def share_accepted(self) -> float:
        """Accepted and partly accepted, of all comments."""
        if not self.total:
            return 0.0
        return (self.decisions[ACCEPTED] + self.decisions[PARTLY]) / self.total


async def _names(session: AsyncSession, model: type[_Reference], locale: str) -> dict[str, str]:
    return {row.code: row.name(locale) for row in await session.scalars(select(model))}


async def rows(
    session: AsyncSession,
    draft_id: int,
    locale: str,
    untitled: str = "—",
    typed_countries: bool = True,
) -> list[TableRow]:
    """Every comment of the draft, clause by clause in reading order; `untitled` names the
    text before the first heading (or all of a text without headings). Without
    `typed_countries` (the public site) a country typed by hand is not shown: free text."""
    regions = await _names(session, Region, locale)
    countries = await _names(session, Country, locale)
    categories = await _names(session, StakeholderCategory, locale)
    # Plain columns, not ORM objects: five times faster for thousands of comments.
    query = (
        select(
            DraftComment.kind,
            DraftComment.text,
            DraftComment.reason,
            DraftComment.show_name,
            DraftComment.region_code,
            DraftComment.country_code,
            DraftComment.country_other,
            DraftComment.category_code,
            DraftComment.support_count,
            DraftComment.decision,
            DraftComment.decision_reason,
            DraftClause.number,
            DraftClause.text_ky,
            DraftClause.text_ru,
            DraftClause.chapter_title_ky,
            DraftClause.chapter_title_ru,
            User.full_name,
        )
        .join(DraftClause, DraftClause.id == DraftComment.clause_id)
        .join(User, User.id == DraftComment.author_id)
        .where(DraftComment.draft_id == draft_id)
        .order_by(DraftClause.position, DraftComment.id)
    )
    own = "ky" if locale == "ky" else "ru"
    other = "ru" if own == "ky" else "ky"
    result: list[TableRow] = []
    for row in (await session.execute(query)).all():
        values = row._mapping
        chapter = values[f"chapter_title_{own}"] or values[f"chapter_title_{other}"]
        result.append(
            TableRow(
                number=row.number,
                clause_text=values[f"text_{own}"] or values[f"text_{other}"] or "",
                kind=row.kind,
                text=row.text,
                reason=row.reason or "",
                who=_who(row, row.full_name, regions, countries, categories, typed_countries),
                decision=row.decision,
                decision_reason=row.decision_reason or "",
                chapter=chapter or untitled,
                place=_place(row, regions, countries, typed_countries),
                category=categories.get(row.category_code or "", ""),
                supports=row.support_count,
            )
        )
    return result


async def public_names(
    session: AsyncSession, comments: Sequence[DraftComment], locale: str
) -> dict[int, str]:
    """Who wrote each comment, as the table shows it: the name where the author agreed,
    else their category and region (or country)."""
    regions = await _names(session, Region, locale)
    countries = await _names(session, Country, locale)
    categories = await _names(session, StakeholderCategory, locale)
    authors = {c.author_id for c in comments if c.show_name}
    names = (
        dict(
            (
                await session.execute(select(User.id, User.full_name).where(User.id.in_(authors)))
            ).all()
        )
        if authors
        else {}
    )
    return {c.id: _who(c, names.get(c.author_id), regions, countries, categories) for c in comments}


def _who(
    comment: Any,
    full_name: str | None,
    regions: dict[str, str],
    countries: dict[str, str],
    categories: dict[str, str],
    typed_countries: bool = True,
) -> str:
    if comment.show_name and full_name:
        return full_name
    category = categories.get(comment.category_code or "", "")
    place = _place(comment, regions, countries, typed_countries)
    return ", ".join(p for p in (category, place) if p)


def _place(
    comment: Any, regions: dict[str, str], countries: dict[str, str], typed: bool = True
) -> str:
    if comment.region_code == ABROAD:
        other = comment.country_other if typed else None
        country = countries.get(comment.country_code or "") or other
        return country or regions.get(ABROAD, ABROAD)
    return regions.get(comment.region_code or "", "")


def summarize(table: Sequence[TableRow]) -> Summary:
    def counted(values: list[str]) -> list[tuple[str, int]]:
        counter = Counter(v or "—" for v in values)
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))

    chapters = Counter(row.chapter for row in table)
    in_order = list(dict.fromkeys(row.chapter for row in table))
    return Summary(
        total=len(table),
        per_chapter=[(name, chapters[name]) for name in in_order],
        per_place=counted([row.place for row in table]),
        per_category=counted([row.category for row in table]),
        decisions=Counter(row.decision or "" for row in table),
    )


@dataclass(frozen=True)
class Labels:
    """Everything the files say, in the reader's language."""

    title: str
    headers: tuple[str, ...]  # number, clause, comment or wording, reason, who, decision, reason
    wording: str  # prefix of a proposed wording
    decision_name: Callable[[str | None], str]
    summary: str
    per_chapter: str
    per_place: str
    per_category: str
    total: str
    share_accepted: str


def _cells(row: TableRow, labels: Labels) -> list[str]:
    text = f"{labels.wording}: {row.text}" if row.kind == WORDING else row.text
    return [
        row.number,
        row.clause_text,
        text,
        row.reason,
        row.who,
        labels.decision_name(row.decision),
        row.decision_reason,
    ]


def _summary_rows(summary: Summary, labels: Labels) -> list[tuple[str, list[tuple[str, str]]]]:
    share = f"{summary.share_accepted:.0%}"
    return [
        (labels.summary, [(labels.total, str(summary.total)), (labels.share_accepted, share)]),
        (labels.per_chapter, [(name, str(n)) for name, n in summary.per_chapter]),
        (labels.per_place, [(name, str(n)) for name, n in summary.per_place]),
        (labels.per_category, [(name, str(n)) for name, n in summary.per_category]),
    ]


def docx_bytes(table: Sequence[TableRow], labels: Labels) -> bytes:
    from docx import Document  # with lxml: imported on first use, to keep an idle bot small
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(9)  # type: ignore[attr-defined]
    document.add_heading(labels.title, level=1)
    grid = document.add_table(rows=1, cols=len(labels.headers))
    grid.style = "Table Grid"
    for cell, header in zip(grid.rows[0].cells, labels.headers, strict=True):
        cell.text = header
    # python-docx's cell by cell API takes ~3 ms a cell; rows written as XML take ~0.03 ms.
    body = grid._tbl
    for row in table:
        body.append(_row_xml(_cells(row, labels)))
    for heading, pairs in _summary_rows(summarize(table), labels):
        document.add_heading(heading, level=2)
        for name, value in pairs:
            document.add_paragraph(f"{name}: {value}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# XML 1.0 has no place for most control characters; a pasted comment may hold some.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _child(parent: Any, tag: str) -> Any:
    from docx.oxml import OxmlElement

    element = OxmlElement(tag)
    parent.append(element)
    return element


def _row_xml(values: list[str]) -> Any:
    from docx.oxml import OxmlElement

    row = OxmlElement("w:tr")
    for value in values:
        run = _child(_child(_child(row, "w:tc"), "w:p"), "w:r")
        for index, line in enumerate(_NOT_XML.sub("", value).split("\n")):
            if index:
                _child(run, "w:br")
            text = _child(run, "w:t")
            text.text = line
            text.set(_SPACE, "preserve")
    return row


def xlsx_bytes(table: Sequence[TableRow], labels: Labels, sheet_title: str) -> bytes:
    from openpyxl import Workbook  # imported on first use, to keep an idle bot small

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.append(list(labels.headers))
    for row in table:
        sheet.append(_cells(row, labels))
    summary = workbook.create_sheet(labels.summary[:31])
    for heading, pairs in _summary_rows(summarize(table), labels):
        summary.append([heading])
        for name, value in pairs:
            summary.append([name, value])
        summary.append([])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- where the comments on each chapter came from -------------------------------------------


def chapter_places(table: Sequence[TableRow]) -> list[tuple[str, list[tuple[str, int]]]]:
    """Per chapter in reading order: (region or country, comments), the most first."""
    by_chapter: dict[str, Counter[str]] = {}
    for row in table:
        by_chapter.setdefault(row.chapter, Counter())[row.place or "—"] += 1
    return [
        (chapter, sorted(counter.items(), key=lambda item: (-item[1], item[0])))
        for chapter, counter in by_chapter.items()
    ]


PALETTE = (
    "#2f6fb0", "#e07b39", "#3a9e5f", "#c94c4c", "#8c6bb1", "#b39b2f",
    "#4bb3c2", "#d16ba5", "#7f7f7f", "#5b4636", "#9acd32",
)  # fmt: skip


def chapter_chart(title: str, data: list[tuple[str, list[tuple[str, int]]]]) -> bytes:
    """One horizontal stacked bar per chapter, a colour per region or country (PNG)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # on first use, as in bot/charts.py
    from matplotlib.figure import Figure

    data = data[:15]
    places = list(dict.fromkeys(place for _, counts in data for place, _n in counts))
    labels = ["\n".join(textwrap.wrap(chapter, 30)[:2]) or "—" for chapter, _ in data][::-1]
    figure = Figure(figsize=(8, 1.6 + 0.6 * max(len(data), 1)), dpi=120)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    left = [0] * len(data)
    for index, place in enumerate(places):
        values = [dict(counts).get(place, 0) for _, counts in data][::-1]
        axes.barh(labels, values, left=left, label=place, color=PALETTE[index % len(PALETTE)])
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_title(title, fontsize=12, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(axis="y", labelsize=9)
    if places:
        axes.legend(fontsize=8, loc="lower right")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
