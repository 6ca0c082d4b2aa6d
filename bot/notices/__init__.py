"""Renderers for outbox messages. A service enqueues a template name and parameters; the
delivery worker renders them at send time in the recipient's current language.

A renderer is registered with `@notice("name")`, takes the params and the recipient's
locale, and returns a Notice. It runs inside `i18n.context()` and `i18n.use_locale(locale)`,
so it uses the ordinary `_()` / `ngettext()` from aiogram.utils.i18n. Params carry all it
needs (organizer-written content in both languages); renderers do no I/O.

Each feature keeps its renderers in a module of this package, imported at the bottom."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Notice:
    text: str
    # Rows of inline buttons.
    buttons: list[list[Button]] = field(default_factory=list)


Renderer = Callable[[dict[str, Any], str], Notice]
RENDERERS: dict[str, Renderer] = {}


def notice(name: str) -> Callable[[Renderer], Renderer]:
    def register(renderer: Renderer) -> Renderer:
        if name in RENDERERS:
            raise ValueError(f"notice {name!r} is registered twice")
        RENDERERS[name] = renderer
        return renderer

    return register


def render(name: str, params: dict[str, Any], locale: str) -> Notice:
    """Call inside the recipient's i18n context (see the module docstring)."""
    return RENDERERS[name](params, locale)


@notice("text")
def plain_text(params: dict[str, Any], locale: str) -> Notice:
    """Ready text per language: {"texts": {"ky": "...", "ru": "..."}} (already safe HTML)."""
    texts: dict[str, str] = params["texts"]
    return Notice(texts.get(locale) or next(iter(texts.values())))


# Feature modules register their renderers on import.
from bot.notices import (  # noqa: E402, F401
    agencies,
    announcements,
    common,
    drafts,
    events,
    polls,
    proposals,
    summaries,
)
