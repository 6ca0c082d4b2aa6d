"""Moved to handlers/common/errors.py; this name stays for `from handlers import errors` in
bot/app.py until it imports `handlers.common.errors`."""

from handlers.common.errors import SOMETHING_WENT_WRONG, on_error, router

__all__ = ["SOMETHING_WENT_WRONG", "on_error", "router"]
