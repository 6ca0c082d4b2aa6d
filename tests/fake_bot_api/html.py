"""Telegram's HTML parse mode, as strict as Telegram: only its tags, every `<` and `&` that
is not part of a tag or entity is an error. Returns the visible text (for length checks)."""

import re

TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "a", "tg-emoji", "code", "pre", "blockquote", "tg-time",
}  # fmt: skip
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>"
)
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class ParseError(ValueError):
    pass


def visible_text(markup: str) -> str:
    out: list[str] = []
    stack: list[tuple[str, int]] = []
    position = 0
    while position < len(markup):
        char = markup[position]
        offset = len(markup[:position].encode("utf-8"))
        if char == "<":
            tag = _TAG.match(markup, position)
            if tag is None:
                raise ParseError(f'Unsupported start tag "" at byte offset {offset}')
            closing, name = tag[1] == "/", tag[2].lower()
            if name not in TAGS:
                kind = "end" if closing else "start"
                raise ParseError(f'Unsupported {kind} tag "{name}" at byte offset {offset}')
            if closing:
                if not stack or stack[-1][0] != name:
                    raise ParseError(f"Unexpected end tag at byte offset {offset}")
                stack.pop()
            else:
                if name == "a" and "href" not in tag[3]:
                    pass  # Telegram accepts <a> without href (no link)
                stack.append((name, offset))
            position = tag.end()
        elif char == "&":
            entity = _ENTITY.match(markup, position)
            if entity is None:
                raise ParseError(f"Can't find end of the entity starting at byte offset {offset}")
            value = entity[1]
            if value in _NAMED:
                out.append(_NAMED[value])
            else:
                code = int(value[2:], 16) if value.startswith("#x") else int(value[1:])
                out.append(chr(code))
            position = entity.end()
        else:
            out.append(char)
            position += 1
    if stack:
        name, offset = stack[-1]
        raise ParseError(f'Can\'t find end tag corresponding to start tag "{name}"')
    return "".join(out)
