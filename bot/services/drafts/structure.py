"""A parsed draft's shape: chapters, sections and clauses, as parsing builds it and pairing
and publishing read it."""

from dataclasses import dataclass, field


@dataclass
class ParsedClause:
    number: str
    text: str


@dataclass
class ParsedSection:
    title: str  # "" for the text before a chapter's first section heading
    clauses: list[ParsedClause] = field(default_factory=list)


@dataclass
class ParsedChapter:
    title: str  # "" when the text has no headings
    sections: list[ParsedSection] = field(default_factory=list)


@dataclass
class ParsedDraft:
    chapters: list[ParsedChapter]
    has_headings: bool

    def clauses(self) -> list[tuple[int, ParsedChapter, ParsedSection, ParsedClause]]:
        """Every clause in reading order with its 1-based chapter ordinal."""
        return [
            (index, chapter, section, clause)
            for index, chapter in enumerate(self.chapters, start=1)
            for section in chapter.sections
            for clause in section.clauses
        ]

    @property
    def clause_count(self) -> int:
        return sum(len(s.clauses) for c in self.chapters for s in c.sections)
