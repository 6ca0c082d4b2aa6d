"""The notice registry: Button, Notice, `@notice(name)` and `render`. The feature modules of
bot/notices register on it; bot/notices/__init__.py imports them all, so they import this
module, not the package, and no module imports itself back."""

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
