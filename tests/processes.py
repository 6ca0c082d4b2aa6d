"""Kenesh as it runs scaled out: real `python -m bot` processes in webhook mode behind a
round-robin load balancer, on one PostgreSQL and one Redis, talking to the fake Bot API."""

import asyncio
import itertools
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from aiohttp import web

from tests.harness import ADMIN_ID, TEST_TOKEN

WEBHOOK_SECRET = "scale-out-secret"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
START_DEADLINE_SECONDS = 240.0


def python_output(code: str, timeout: float = 600) -> str:
    """What `code` prints, run by a fresh interpreter (nothing imported or built before);
    its errors are the failure's message."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class BotProcess:
    name: str
    log_dir: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.log_dir / f"{self.name}.log"

    def log(self) -> str:
        """What the process wrote so far (for a failing test's message)."""
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def start(self) -> "BotProcess":
        env = {**os.environ, **self.env, "WEBHOOK_PORT": str(self.port)}
        log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", env=env, cwd=self.log_dir, stdout=log, stderr=log
        )
        # Importing aiogram alone takes seconds on a busy machine, and a start migrates and
        # seeds under a lock that the other processes wait for: the deadline is generous.
        deadline = time.monotonic() + START_DEADLINE_SECONDS
        exited = asyncio.ensure_future(self.process.wait())
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
                while time.monotonic() < deadline:
                    if exited.done():
                        raise RuntimeError(f"{self.name} exited; its log:\n{self.log()}")
                    try:
                        async with http.get(f"{self.url}/healthz") as answer:
                            if answer.status == 200:
                                return self
                    except (aiohttp.ClientError, TimeoutError):
                        pass
                    # Not up yet: ask again in a moment, or at once if the process exits.
                    await asyncio.wait({exited}, timeout=0.2)
        finally:
            exited.cancel()
        raise TimeoutError(
            f"{self.name} did not come up in {START_DEADLINE_SECONDS:.0f} s; its log:\n{self.log()}"
        )

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def kill(self) -> None:
        """SIGKILL: no clean stop, claimed rows stay claimed until their lease runs out."""
        assert self.process is not None
        self.process.kill()
        await self.process.wait()

    async def stop(self) -> None:
        if self.alive:
            assert self.process is not None
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 20)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


def bot_env(
    database_url: str, redis_url: str, api_url: str, webhook_url: str, **extra: str
) -> dict[str, str]:
    return {
        "BOT_TOKEN": TEST_TOKEN,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "TELEGRAM_API_URL": api_url,
        "ADMIN_IDS": str(ADMIN_ID),
        "WEBHOOK_URL": webhook_url,
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "WEBHOOK_HOST": "127.0.0.1",
        "LOG_LEVEL": "INFO",
        "THROTTLE_UPDATES": "10000",
        **extra,
    }


class LoadBalancer:
    """Hands each webhook request to the next live process in turn, as a load balancer in
    front of the bots would; `handled_by` records which process took which update."""

    def __init__(self) -> None:
        self.backends: list[BotProcess] = []
        self.handled_by: dict[int, str] = {}
        self._turn = itertools.count()
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> "LoadBalancer":
        app = web.Application()
        app.router.add_post("/telegram", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        port = free_port()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{port}/telegram"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        update_id = (await request.json()).get("update_id")
        secret = request.headers.get(SECRET_HEADER)
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        live = [b for b in self.backends if b.alive]
        start = next(self._turn)
        async with aiohttp.ClientSession() as http:
            for i in range(len(live)):
                backend = live[(start + i) % len(live)]
                try:
                    async with http.post(
                        f"{backend.url}/telegram",
                        data=body,
                        headers=headers,
                    ) as answer:
                        reply = await answer.read()
                        if answer.status == 200:
                            self.handled_by[update_id] = backend.name
                        return web.Response(status=answer.status, body=reply)
                except aiohttp.ClientError:
                    continue  # that one is down: try the next, as a health-checking balancer
        return web.Response(status=502)
