"""A draft's text into its structure: chapters, sections and clauses.

A DOCX is read with python-docx: paragraphs in a heading style ("Heading 1", "Title" →
chapter; "Heading 2" and deeper → section), numbered paragraphs (Word's automatic numbering
or a typed "12." / "3.1)") start a clause, and the unnumbered paragraphs after one belong to
it. Where a section has no numbered paragraph, each paragraph is a clause. Pasted text works
the same way with headings recognised by their numbers ("2. Title", "2.1. Title") and lines
joined back into paragraphs. With no headings at all the text falls back to one clause per
paragraph, and `has_headings` says so. Nothing here touches the database."""

import io
import re
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

# Kept importable from here: the shapes, the pairing and the splitting have their own modules.
from bot.services.drafts.pairing import Pairing as Pairing
from bot.services.drafts.pairing import pair as pair
from bot.services.drafts.splitting import split_long as split_long
from bot.services.drafts.structure import ParsedChapter as ParsedChapter
from bot.services.drafts.structure import ParsedClause as ParsedClause
from bot.services.drafts.structure import ParsedDraft as ParsedDraft
from bot.services.drafts.structure import ParsedSection as ParsedSection
from bot.services.errors import InvalidInput

if TYPE_CHECKING:  # python-docx (with lxml) is imported on first use, to keep an idle bot small
    from docx.document import Document as DocumentObject
    from docx.text.paragraph import Paragraph

# Typed numbers that start a clause: "12.", "3.1.", "4)", "5.2)"; not a year like "2017-жылы".
CLAUSE_NUMBER = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})*)(?:\.|\))\s+(?=\S)")
# A heading in plain text: "2. Title" or "2.1. Title", short, the title starting with a letter.
TEXT_HEADING = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})?)\.?\s+([^\W\d_][^\n]{0,150})$")
SENTENCE_END = re.compile(r"[.!?…;:»\"”)]\s*$")


@dataclass
class _Block:
    """One paragraph of the source: a heading (level 1 or 2) or body text."""

    text: str
    level: int = 0  # 0 body, 1 chapter, 2 section
    numbered: bool = False  # Word numbering or a typed number at its start
    auto_number: str = ""  # the number Word would show, for automatic numbering


# --- reading --------------------------------------------------------------------------------


def parse_docx(data: bytes) -> ParsedDraft:
    """InvalidInput("not_docx") for anything that is not a Word document (.docx)."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InvalidInput("not_docx")
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile):
        raise InvalidInput("not_docx") from None
    styles = _StyleMap(document)
    counters: dict[tuple[str, int], int] = {}
    blocks = [_docx_block(p, styles, counters) for p in document.paragraphs]
    return _build([b for b in blocks if b.text])


def parse_text(text: str) -> ParsedDraft:
    return _build(_text_blocks(text))


def qn(tag: str) -> str:
    """python-docx's name of a Word XML tag ("w:val" → "{namespace}val")."""
    from docx.oxml.ns import qn as docx_qn

    return docx_qn(tag)


class _StyleMap:
    """Heading level and numbering of each paragraph style, looked up once per document
    (python-docx's own style lookup scans every style on every call: too slow for 200 pages)."""

    def __init__(self, document: "DocumentObject") -> None:
        self.level: dict[str, int] = {}
        self.numbering: dict[str, tuple[str, int] | None] = {}
        self.default = ""
        for style in document.styles:
            element = style.element
            style_id = element.get(qn("w:styleId")) or ""
            if element.get(qn("w:type")) != "paragraph":
                continue
            if element.get(qn("w:default")) in ("1", "true"):
                self.default = style_id
            name = (style.name or "").lower()
            if name in ("title", "heading 1"):
                self.level[style_id] = 1
            elif re.match(r"heading \d", name):
                self.level[style_id] = 2
            else:
                self.level[style_id] = _outline_level(element.pPr)
            self.numbering[style_id] = _num_pr(element.pPr)

    def style_of(self, paragraph: "Paragraph") -> str:
        ppr = paragraph._p.pPr
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        return (style.get(qn("w:val")) if style is not None else None) or self.default


def _outline_level(ppr: Any) -> int:
    outline = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    if outline is None:
        return 0
    return 1 if outline.get(qn("w:val")) == "0" else 2


def _num_pr(ppr: Any) -> tuple[str, int] | None:
    """(numId, level) of Word's automatic numbering in a paragraph's or style's properties."""
    num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if num_pr is None:
        return None
    num_id = num_pr.find(qn("w:numId"))
    level = num_pr.find(qn("w:ilvl"))
    if num_id is None or num_id.get(qn("w:val")) in (None, "0"):
        return None
    return num_id.get(qn("w:val")) or "", int(level.get(qn("w:val")) or 0) if (
        level is not None
    ) else 0


def _docx_block(
    paragraph: "Paragraph", styles: _StyleMap, counters: dict[tuple[str, int], int]
) -> _Block:
    text = _clean(paragraph.text)
    style = styles.style_of(paragraph)
    ppr = paragraph._p.pPr
    level = _outline_level(ppr) or styles.level.get(style, 0)
    if level:
        return _Block(text, level)
    numbering = _num_pr(ppr) or styles.numbering.get(style)
    if numbering is not None and text:
        counters[numbering] = counters.get(numbering, 0) + 1
        for key in [k for k in counters if k[0] == numbering[0] and k[1] > numbering[1]]:
            counters.pop(key)  # a higher level starts its sub-items again
        return _Block(text, numbered=True, auto_number=str(counters[numbering]))
    return _Block(text, numbered=bool(CLAUSE_NUMBER.match(text)))


def _clean(text: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def _text_blocks(text: str) -> list[_Block]:
    """Lines back into paragraphs: a paragraph ends at a line that ends a sentence, at a
    heading, or at a blank line after a finished sentence."""
    blocks: list[_Block] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            joined = _clean(" ".join(current))
            blocks.append(_Block(joined, numbered=bool(CLAUSE_NUMBER.match(joined))))
            current.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = _clean(raw)
        if not line:
            continue
        heading = TEXT_HEADING.match(line)
        if heading and not SENTENCE_END.search(line.rstrip(".")) and len(line) <= 160:
            flush()
            level = 1 if "." not in heading.group(1) else 2
            blocks.append(_Block(line, level))
            continue
        if CLAUSE_NUMBER.match(line):
            flush()
        current.append(line)
        if SENTENCE_END.search(line):
            flush()
    flush()
    return blocks


# --- structure ------------------------------------------------------------------------------


def _build(blocks: list[_Block]) -> ParsedDraft:
    if not blocks:
        raise InvalidInput("draft_empty")
    has_headings = any(b.level for b in blocks)
    if not has_headings:  # the fallback: one clause per paragraph, whatever its start
        blocks = [_Block(b.text) for b in blocks]
    chapters: list[ParsedChapter] = []
    # Body blocks per section, grouped before numbering (a section's rule depends on them all).
    pending: list[tuple[ParsedSection, list[_Block]]] = []

    def section_for(title: str, new_chapter_title: str | None = None) -> list[_Block]:
        if new_chapter_title is not None or not chapters:
            chapters.append(ParsedChapter(new_chapter_title or ""))
        section = ParsedSection(title)
        chapters[-1].sections.append(section)
        body: list[_Block] = []
        pending.append((section, body))
        return body

    body = section_for("") if blocks[0].level != 1 else []
    for block in blocks:
        if block.level == 1:
            body = section_for("", block.text)
        elif block.level == 2:
            if (
                chapters
                and chapters[-1].sections
                and not pending[-1][1]
                and (not pending[-1][0].title)
            ):
                # The chapter's untitled opening section is empty: this heading replaces it.
                chapters[-1].sections.pop()
                pending.pop()
            body = section_for(block.text)
        else:
            body.append(block)
    for chapter_index, chapter in enumerate(chapters, start=1):
        for section_index, section in enumerate(chapter.sections, start=1):
            blocks_of = next(b for s, b in pending if s is section)
            prefix = _section_prefix(chapter, section, chapter_index, section_index)
            section.clauses = _clauses(blocks_of, prefix)
        chapter.sections = [s for s in chapter.sections if s.clauses or s.title]
    chapters = [c for c in chapters if any(s.clauses for s in c.sections) or c.title]
    if not any(s.clauses for c in chapters for s in c.sections):
        raise InvalidInput("draft_empty")
    return ParsedDraft(chapters, has_headings)


def _section_prefix(
    chapter: ParsedChapter, section: ParsedSection, chapter_index: int, section_index: int
) -> str:
    """The number clauses without a number of their own are counted under: the section's
    typed number ("2.1"), else the chapter's, else ordinals."""
    for title in (section.title, chapter.title):
        match = re.match(r"^\s*(\d{1,2}(?:\.\d{1,2})*)\.?\s", title)
        if match:
            return match.group(1)
    if not chapter.title:
        return ""
    return f"{chapter_index}.{section_index}" if section.title else str(chapter_index)


def _clauses(blocks: list[_Block], prefix: str) -> list[ParsedClause]:
    if not blocks:
        return []
    numbered = any(b.numbered for b in blocks)
    clauses: list[ParsedClause] = []
    for block in blocks:
        if numbered and not block.numbered and clauses:
            clauses[-1].text += "\n\n" + block.text
            continue
        typed = CLAUSE_NUMBER.match(block.text) if block.numbered else None
        if typed:
            number = typed.group(1)
        else:
            own = block.auto_number if block.numbered else str(len(clauses) + 1)
            number = f"{prefix}.{own}" if prefix else own
        clauses.append(ParsedClause(number, block.text))
    return clauses
