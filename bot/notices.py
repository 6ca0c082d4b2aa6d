"""Renderers for outbox messages. A service enqueues a template name and parameters; the
delivery worker renders them at send time in the recipient's current language.

Register a renderer with `@notice("name")`; it gets the params and a `gettext` bound to the
recipient's locale (outside an update there is no implicit locale) and returns a Notice."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Gettext = Callable[[str], str]


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


Renderer = Callable[[dict[str, Any], Gettext, str], Notice]
RENDERERS: dict[str, Renderer] = {}


def notice(name: str) -> Callable[[Renderer], Renderer]:
    def register(renderer: Renderer) -> Renderer:
        if name in RENDERERS:
            raise ValueError(f"notice {name!r} is registered twice")
        RENDERERS[name] = renderer
        return renderer

    return register


def render(name: str, params: dict[str, Any], gettext: Gettext, locale: str) -> Notice:
    return RENDERERS[name](params, gettext, locale)


@notice("text")
def plain_text(params: dict[str, Any], gettext: Gettext, locale: str) -> Notice:
    """Ready text per language: {"ky": "...", "ru": "..."} (already safe HTML)."""
    texts: dict[str, str] = params["texts"]
    return Notice(texts.get(locale) or next(iter(texts.values())))
