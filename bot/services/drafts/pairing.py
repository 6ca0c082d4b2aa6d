"""The other language's version of a draft paired with the first, clause by clause."""

from dataclasses import dataclass

from bot.services.drafts.structure import ParsedDraft


@dataclass
class Pairing:
    """The second version's text for each clause of the first, by clause number (or, where
    numbers differ, by place in its section); what could not be paired is counted."""

    texts: list[str | None]
    chapter_titles: list[str | None]
    section_titles: list[str | None]
    unpaired_primary: int
    unpaired_secondary: int


def pair(primary: "ParsedDraft", secondary: "ParsedDraft") -> Pairing:
    Found = tuple[str, str, str, tuple[int, int, int]]

    def keyed(draft: "ParsedDraft") -> dict[tuple[int, int, str], Found]:
        result: dict[tuple[int, int, str], Found] = {}
        for c_index, chapter in enumerate(draft.chapters, start=1):
            for s_index, section in enumerate(chapter.sections, start=1):
                for k, clause in enumerate(section.clauses, start=1):
                    value = (clause.text, chapter.title, section.title, (c_index, s_index, k))
                    result[(c_index, s_index, clause.number)] = value
                    result.setdefault((c_index, s_index, f"#{k}"), value)
        return result

    other = keyed(secondary)
    used: set[tuple[int, int, int]] = set()
    texts: list[str | None] = []
    chapters: list[str | None] = []
    sections: list[str | None] = []
    for c_index, chapter in enumerate(primary.chapters, start=1):
        for s_index, section in enumerate(chapter.sections, start=1):
            for k, clause in enumerate(section.clauses, start=1):
                found = other.get((c_index, s_index, clause.number)) or other.get(
                    (c_index, s_index, f"#{k}")
                )
                if found is not None and found[3] in used:
                    found = None
                texts.append(found[0] if found else None)
                chapters.append(found[1] if found else None)
                sections.append(found[2] if found else None)
                if found:
                    used.add(found[3])
    unpaired_primary = sum(1 for t in texts if t is None)
    return Pairing(texts, chapters, sections, unpaired_primary, secondary.clause_count - len(used))
