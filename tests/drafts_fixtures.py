"""Test drafts built from seed 002 (the Concept of Regional Policy, in Kyrgyz): as pasted text,
and as a DOCX written with python-docx with its chapter and section headings in heading styles,
the way an organizer's Word file has them."""

import io
import re
from pathlib import Path

from docx import Document

SEED_002 = Path(__file__).parent / "fixtures" / "002_836bd214e8c37bac.txt"
HEADING = re.compile(r"^\s*(\d{1,2})(\.\d{1,2})?\.\s+([^\W\d_].{0,150})$")
CHAPTER_TITLES = [
    "1. Региондук саясаттын максаттары жана милдеттери",
    "2. Учурдагы кырдаалды талдоо",
    "3. Региондук саясатты тандоо",
    "4. Концепциянын жалпы көрүнүшү жана күтүлүүчү",
    "5. Концептуалдык конструкция",
    "6. Стратегиялык күн тартип",
    "7. Региондук саясаттын функциялык багыттары",
    "8. Өз ара аракеттенүү процессинин катышуучулары",
    "9. Ишке ашыруунун механизмдери",
]


def seed_text() -> str:
    return SEED_002.read_text(encoding="utf-8")


def seed_blocks(text: str | None = None) -> list[tuple[int, str]]:
    """(level, text): 1 chapter, 2 section, 0 a paragraph (wrapped lines joined back)."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append((0, " ".join(current)))
            current.clear()

    for raw in (text if text is not None else seed_text()).splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        heading = HEADING.match(line)
        if heading and not line.endswith("."):
            flush()
            blocks.append((2 if heading.group(2) else 1, line))
            continue
        current.append(line)
        if re.search(r"[.!?;:]$", line):
            flush()
    flush()
    return blocks


def docx_of(blocks: list[tuple[int, str]], *, headings: bool = True) -> bytes:
    document = Document()
    for level, text in blocks:
        if level and headings:
            document.add_heading(text, level=level)
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def seed_docx(*, headings: bool = True, repeat: int = 1) -> bytes:
    return docx_of(seed_blocks() * repeat, headings=headings)
