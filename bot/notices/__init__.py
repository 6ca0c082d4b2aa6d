"""Renderers for outbox messages. A service enqueues a template name and parameters; the
delivery worker renders them at send time in the recipient's current language.

A renderer is registered with `@notice("name")`, takes the params and the recipient's
locale, and returns a Notice. It runs inside `i18n.context()` and `i18n.use_locale(locale)`,
so it uses the ordinary `_()` / `ngettext()` from aiogram.utils.i18n. Params carry all it
needs (organizer-written content in both languages); renderers do no I/O.

Each feature keeps its renderers in a module of this package, imported below;
the registry itself lives in bot/notices/registry.py."""

# Feature modules register their renderers on import.
from bot.notices import (  # noqa: F401
    agencies,
    announcements,
    common,
    drafts,
    events,
    polls,
    proposals,
    summaries,
)
from bot.notices.registry import RENDERERS, Button, Notice, Renderer, notice, render

__all__ = ["RENDERERS", "Button", "Notice", "Renderer", "notice", "render"]
