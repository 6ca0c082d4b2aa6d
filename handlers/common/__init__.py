"""What every person meets, whatever their role: /start (language, consent), /help, the main
menu, the home screen of organizers and representatives, /cancel, the fallback for anything
no journey claimed, and the error handler. Each module has its own `router()`: they sit at
different places of `handlers.all_routers()`.

The package also holds the small pieces every journey uses; import them from here:
`from handlers.common import drop_buttons, explain, WithMessage, ...`."""

from handlers.common.filters import NOT_A_COMMAND, MenuButton, WithMessage
from handlers.common.pieces import (
    drop_buttons,
    explain,
    message_of,
    no_longer_active,
)

__all__ = [
    "NOT_A_COMMAND",
    "MenuButton",
    "WithMessage",
    "drop_buttons",
    "explain",
    "message_of",
    "no_longer_active",
]
