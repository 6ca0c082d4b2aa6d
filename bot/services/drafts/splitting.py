"""Long text cut into pieces Telegram accepts: between paragraphs, else sentences, else words."""

import re
from collections.abc import Iterable

TELEGRAM_TEXT_LIMIT = 4096
SENTENCE_BOUNDARY = re.compile(r"(?<=[.!?…])\s+")


def split_long(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, cut only between paragraphs, else between
    sentences, else between words: joined with spaces and blank lines they give the whole
    text back, no word cut (a single word longer than the limit is the only exception)."""
    if len(text) <= limit:
        return [text]
    parts = (part for paragraph in text.split("\n\n") for part in _fit(paragraph, limit))
    return _pack(parts, "\n\n", limit)


def _fit(paragraph: str, limit: int) -> list[str]:
    if len(paragraph) <= limit:
        return [paragraph]
    chunks = (
        chunk
        for sentence in SENTENCE_BOUNDARY.split(paragraph)
        for chunk in (_words(sentence, limit) if len(sentence) > limit else [sentence])
    )
    return _pack(chunks, " ", limit)


def _words(sentence: str, limit: int) -> list[str]:
    # A word with no space in `limit` characters is cut every `limit`: nothing else to do.
    cuts = (
        word[start : start + limit]
        for word in sentence.split(" ")
        for start in range(0, len(word) or 1, limit)
    )
    return _pack(cuts, " ", limit)


def _pack(parts: Iterable[str], separator: str, limit: int) -> list[str]:
    """The parts in order, each joined to the one before with `separator` while that fits in
    `limit` characters."""
    packed: list[str] = []
    for part in parts:
        if packed and len(packed[-1]) + len(separator) + len(part) <= limit:
            packed[-1] += separator + part
        else:
            packed.append(part)
    return packed


# --- two language versions ------------------------------------------------------------------
