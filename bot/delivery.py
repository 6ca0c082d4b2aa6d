"""The outbox worker: the one place that sends messages that are not direct replies."""

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import App


async def run_delivery(app: "App") -> None:
    # The paced, crash-safe sender lands with the delivery issue; until then rows wait.
    await asyncio.Event().wait()
