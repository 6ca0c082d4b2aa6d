"""Long text cut into pieces Telegram accepts: between paragraphs, else sentences, else words."""

import re

TELEGRAM_TEXT_LIMIT = 4096
SENTENCE_BOUNDARY = re.compile(r"(?<=[.!?…])\s+")


def split_long(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, cut only between paragraphs, else between
    sentences, else between words: joined with spaces and blank lines they give the whole
    text back, no word cut (a single word longer than the limit is the only exception)."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    for paragraph in text.split("\n\n"):
        for part in _fit(paragraph, limit):
            if pieces and len(pieces[-1]) + 2 + len(part) <= limit:
                pieces[-1] += "\n\n" + part
            else:
                pieces.append(part)
    return pieces


def _fit(paragraph: str, limit: int) -> list[str]:
    if len(paragraph) <= limit:
        return [paragraph]
    parts: list[str] = []
    for sentence in SENTENCE_BOUNDARY.split(paragraph):
        for chunk in _words(sentence, limit) if len(sentence) > limit else [sentence]:
            if parts and len(parts[-1]) + 1 + len(chunk) <= limit:
                parts[-1] += " " + chunk
            else:
                parts.append(chunk)
    return parts


def _words(sentence: str, limit: int) -> list[str]:
    chunks: list[str] = []
    for word in sentence.split(" "):
        while len(word) > limit:  # no space at all in `limit` characters: nothing else to do
            chunks.append(word[:limit])
            word = word[limit:]
        if chunks and len(chunks[-1]) + 1 + len(word) <= limit:
            chunks[-1] += " " + word
        else:
            chunks.append(word)
    return chunks


# --- two language versions ------------------------------------------------------------------
