"""Moved to handlers/common/menu.py; this name stays for `from handlers.menu import
MenuButton` in modules not yet updated (use `from handlers.common import MenuButton`)."""

from handlers.common.filters import MenuButton

__all__ = ["MenuButton"]
