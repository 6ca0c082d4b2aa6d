"""A fake Telegram Bot API server on 127.0.0.1 for tests and benchmarks.

The real aiogram Bot reaches it through TelegramAPIServer.from_base(server.base_url). Every
call is checked against Telegram's published API (bot_api_spec.json) and answered the way
Telegram answers: 404 for an unknown method, 400 for a missing or mistyped field, text over
4096 or captions over 1024 characters, callback_data over 64 bytes, HTML Telegram could not
parse, or an unknown chat; 403 for a chat that blocked the bot; 429 with retry_after above
a rate limit or when told to.

Updates go out by getUpdates, or, once the bot calls setWebhook, by POST to its URL with the
secret token header, one at a time and again until the bot answers 200 (getUpdates is then
refused with 409, as Telegram does)."""

import asyncio
import contextlib
import itertools
import json
import logging
import math
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from tests.fake_bot_api.html import ParseError, visible_text

log = logging.getLogger(__name__)
# How long a test waits for the bot by default: generous, because a busy machine (CI shares
# two cores) can take many seconds over one update; a passing test never waits this long.
DEFAULT_WAIT = 90.0
SPEC = json.loads(Path(__file__).with_name("bot_api_spec.json").read_text(encoding="utf-8"))
METHODS = {name.lower(): name for name in SPEC["methods"]}
BOT_ID = 1000
SENDING = {
    "sendmessage", "sendphoto", "senddocument", "sendmediagroup", "copymessage",
    "forwardmessage", "sendvideo", "sendaudio", "sendvoice", "sendanimation", "sendlocation",
}  # fmt: skip
EDITING = {"editmessagetext", "editmessagecaption", "editmessagereplymarkup"}
# Native polls (sendPoll, stopPoll; answers come back as poll_answer updates). The limits
# are Telegram's published ones (../shared/telegram/api.json): "a JSON-serialized list of
# 1-12 answer options", question 1-300 characters, option 1-100 characters.
POLLS = {"sendpoll", "stoppoll"}
POLL_OPTIONS = (1, 12)
POLL_QUESTION = tuple(SPEC["methods"]["sendPoll"]["question"]["limit"][:2])
POLL_OPTION_TEXT = tuple(SPEC["types"]["InputPollOption"]["fields"]["text"]["limit"][:2])


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]]
    status: int = 200
    response: Any = None
    at: float = field(default_factory=time.monotonic)


@dataclass
class SentMessage:
    """What a person sees: a message the bot sent, or an edit of one."""

    chat_id: int
    message_id: int
    method: str
    text: str | None = None
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    document: tuple[str, bytes] | None = None
    photo: bytes | None = None
    edited: bool = False
    at: float = field(default_factory=time.monotonic)
    poll: dict[str, Any] | None = None  # sendPoll: the Poll as Telegram returned it

    @property
    def visible(self) -> str:
        """The text as the person reads it: HTML tags gone, entities decoded."""
        if self.text is None:
            return ""
        if (self.parse_mode or "").upper() == "HTML":
            return visible_text(self.text)
        return self.text

    @property
    def caption(self) -> str | None:
        return self.text if self.method != "sendMessage" else None


@dataclass
class FakePoll:
    """A native poll the bot sent, and who chose what (user id -> option ids)."""

    chat_id: int
    message_id: int
    poll: dict[str, Any]
    votes: dict[int, list[int]] = field(default_factory=dict)


class PollClosed(AssertionError):
    """A person tried to vote in a closed poll: Telegram's apps do not let them."""


@dataclass
class Failure:
    status: int
    retry_after: int | None
    description: str | None
    times: int
    chat_id: int | None = None


# fail_next(..., status=DROP_CONNECTION): the server closes the connection without an answer,
# as a network failure between the bot and Telegram looks to the bot.
DROP_CONNECTION = 0

# Telegram's overall limit for one bot, on by default (set_rate_limit(None) turns it off).
DEFAULT_RATE_PER_SECOND = 30.0


class FakeTelegramServer:
    def __init__(
        self,
        bot_username: str = "kenesh_test_bot",
        rate_per_second: float | None = DEFAULT_RATE_PER_SECOND,
    ) -> None:
        self.bot_user = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Kenesh",
            "username": bot_username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[ApiCall] = []
        self.sent: list[SentMessage] = []
        self._sent_by_chat: dict[int, list[SentMessage]] = defaultdict(list)
        self._messages: dict[int, dict[int, dict[str, Any]]] = defaultdict(
            dict
        )  # chat -> id -> msg
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._known_chats: dict[int, dict[str, Any]] = {}
        self._blocked: dict[int, str] = {}
        self._updates: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._last_update_id = 0
        self._new_update = asyncio.Event()
        self._confirmed = 0
        self._confirmed_changed = asyncio.Event()
        self._sent_changed = asyncio.Event()
        self._polling = False
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
        self._rate: float | None = rate_per_second
        self._chat_rate: float | None = None
        self._retry_after = 1
        self._window: deque[float] = deque()
        self._chat_last: dict[int, float] = {}
        # After a 429 of the rate limit, everything (or the chat) is refused until then.
        self._refused_until = 0.0
        self._chat_refused_until: dict[int, float] = {}
        self._files: dict[str, tuple[str, bytes]] = {}
        self._file_ids = itertools.count(1)
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._answered_callbacks: set[str] = set()
        self._chat_events: dict[int, asyncio.Event] = {}
        self.sent_count = 0
        self.rejected_429 = 0
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self.webhook_url: str | None = None
        self._webhook_secret: str | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status)
        # How many updates Telegram posts to the webhook at once (max_connections).
        self.webhook_connections = 1
        self.polls: dict[str, FakePoll] = {}  # Telegram's poll id -> the poll
        self._poll_ids = itertools.count(5_000_000_000_000_000)

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> "FakeTelegramServer":
        app = web.Application(client_max_size=60 * 2**20)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        await self._stop_webhook()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> "FakeTelegramServer":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- what tests control ----------------------------------------------------------------

    def add_user(
        self, user_id: int, first_name: str = "Test", language_code: str | None = None
    ) -> None:
        self._known_chats.setdefault(
            user_id, {"id": user_id, "type": "private", "first_name": first_name}
        )

    def add_users(self, user_ids: list[int] | range) -> None:
        for user_id in user_ids:
            self.add_user(user_id)

    def block(self, chat_id: int) -> None:
        self._blocked[chat_id] = "Forbidden: bot was blocked by the user"

    def deactivate(self, chat_id: int) -> None:
        self._blocked[chat_id] = "Forbidden: user is deactivated"

    def unblock(self, chat_id: int) -> None:
        self._blocked.pop(chat_id, None)

    def set_rate_limit(
        self,
        per_second: float | None,
        per_chat_per_second: float | None = None,
        retry_after: int = 1,
    ) -> None:
        """Above `per_second` messages in any second (or `per_chat_per_second` in one chat)
        Telegram answers 429 with `retry_after`, and refuses every message (to that chat)
        until that many seconds have passed, however slowly the bot then sends."""
        self._rate, self._chat_rate, self._retry_after = (
            per_second,
            per_chat_per_second,
            retry_after,
        )
        self._refused_until = 0.0
        self._chat_refused_until.clear()

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int | None = 1,
        description: str | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """The next call(s) of `method` (to `chat_id` only, if given) fail this way."""
        failure = Failure(status, retry_after, description, times, chat_id)
        self._failures[method.lower()].append(failure)

    def push_update(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self._last_update_id = update_id
        update["update_id"] = update_id
        self._updates.append(update)
        self._new_update.set()
        return update_id

    async def wait_confirmed(self, update_id: int, timeout: float = DEFAULT_WAIT) -> None:
        """Returns once the bot asked for updates past this one (with sequential handling:
        once it finished processing it)."""
        deadline = time.monotonic() + timeout
        while self._confirmed < update_id:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"update {update_id} was not processed in {timeout} s")
            self._confirmed_changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._confirmed_changed.wait(), remaining)

    async def wait_sent(self, predicate: Any, timeout: float = DEFAULT_WAIT) -> SentMessage:
        """Waits for a sent message matching predicate(SentMessage) (outbox deliveries)."""
        deadline = time.monotonic() + timeout
        checked = 0
        while True:
            for message in self.sent[checked:]:
                if predicate(message):
                    return message
            checked = len(self.sent)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no such message was sent")
            self._sent_changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._sent_changed.wait(), remaining)

    async def wait_count(self, chat_id: int, count: int, timeout: float = DEFAULT_WAIT) -> None:
        """Waits until the bot has sent (or edited) `count` messages in this chat."""
        deadline = time.monotonic() + timeout
        while len(self._sent_by_chat.get(chat_id, ())) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"chat {chat_id} got fewer than {count} messages")
            event = self._chat_events.setdefault(chat_id, asyncio.Event())
            event.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    # --- what tests read -------------------------------------------------------------------

    def calls_of(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        return list(self._sent_by_chat.get(chat_id, []))

    def last_message(self, chat_id: int) -> SentMessage | None:
        messages = self._sent_by_chat.get(chat_id)
        return messages[-1] if messages else None

    def current_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """The chat's messages as they stand now (after edits), newest first."""
        return sorted(self._messages[chat_id].values(), key=lambda m: -m["message_id"])

    def commands_for(
        self, scope: dict[str, Any] | None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        return self._commands.get(
            (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code), []
        )

    def file(self, file_id: str) -> tuple[str, bytes]:
        return self._files[file_id]

    def clear(self) -> None:
        self.calls.clear()
        self.sent.clear()
        self._sent_by_chat.clear()

    # --- the HTTP side -------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        raw_method = request.match_info["method"]
        try:
            params, files = await self._read(request)
        except ValueError as error:
            return self._error(ApiError(400, f"Bad Request: {error}"))
        call = ApiCall(raw_method, params, files)
        if raw_method.lower() != "getupdates":
            self.calls.append(call)
        try:
            result = await self._dispatch(raw_method, params, files)
        except ApiError as error:
            call.status, call.response = error.status, error.description
            if error.status == DROP_CONNECTION and request.transport is not None:
                request.transport.abort()
            return self._error(error)
        except Exception as error:  # a bug here must not look like Telegram's answer
            log.exception("fake Bot API failed on %s", raw_method)
            call.status = 500
            return self._error(ApiError(500, f"Internal Server Error: {error}"))
        call.response = result
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _error(error: ApiError) -> web.Response:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": error.status,
            "description": error.description,
        }
        if error.retry_after is not None:
            body["parameters"] = {"retry_after": error.retry_after}
        return web.json_response(body, status=error.status)

    async def _read(
        self, request: web.Request
    ) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, tuple[str, bytes]] = {}
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = (value.filename or key, value.file.read())
                else:
                    params[key] = value
        return params, files

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        if file_id not in self._files:
            return web.Response(status=404)
        return web.Response(body=self._files[file_id][1])

    # --- validation ------------------------------------------------------------------------

    def _validate(
        self, method: str, params: dict[str, Any], files: dict[str, Any]
    ) -> dict[str, Any]:
        fields = SPEC["methods"][method]
        for name in params:
            if name not in fields:
                continue  # Telegram ignores unknown parameters
        parsed: dict[str, Any] = {}
        for name, spec in fields.items():
            present = name in params or name in files
            if not present:
                if spec["required"]:
                    if name == "text":
                        raise ApiError(400, "Bad Request: message text is empty")
                    raise ApiError(400, f"Bad Request: {name} is empty")
                continue
            if name in files:
                if not any(t == "InputFile" for t in spec["types"]):
                    raise ApiError(400, f"Bad Request: field {name} can't be a file")
                parsed[name] = files[name]
                continue
            parsed[name] = self._convert(name, params[name], spec["types"], files)
        return parsed

    def _convert(self, name: str, value: Any, types: list[str], files: dict[str, Any]) -> Any:
        errors = []
        for kind in types:
            try:
                return self._as(kind, value, files)
            except (ValueError, TypeError) as error:
                errors.append(str(error))
        raise ApiError(400, f"Bad Request: can't parse {name}: {'; '.join(errors)}")

    def _as(self, kind: str, value: Any, files: dict[str, Any]) -> Any:
        if kind == "Integer":
            if isinstance(value, bool):
                raise TypeError("not an integer")
            return int(value)
        if kind == "Float":
            return float(value)
        if kind == "Boolean":
            if isinstance(value, bool):
                return value
            if str(value).lower() in ("true", "1"):
                return True
            if str(value).lower() in ("false", "0"):
                return False
            raise ValueError("not a boolean")
        if kind == "String":
            if isinstance(value, (dict, list)):
                raise TypeError("not a string")
            return str(value)
        if kind == "InputFile":
            if isinstance(value, str) and value.startswith("attach://"):
                return files[value.removeprefix("attach://")]
            raise TypeError("not a file")
        decoded = json.loads(value) if isinstance(value, str) else value
        if kind.startswith("Array of "):
            if not isinstance(decoded, list):
                raise TypeError("not an array")
            return decoded
        if not isinstance(decoded, dict):
            raise TypeError(f"not a {kind}")
        return decoded

    def _check_text(self, text: str, parse_mode: str | None, limit: int, what: str) -> str:
        if parse_mode is not None and parse_mode.upper() == "HTML":
            try:
                shown = visible_text(text)
            except ParseError as error:
                raise ApiError(400, f"Bad Request: can't parse entities: {error}") from None
        elif parse_mode:
            raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode}")
        else:
            shown = text
        if what == "text" and not shown.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(shown.encode("utf-16-le")) // 2 > limit:
            raise ApiError(
                400, f"Bad Request: message {'is' if what == 'text' else 'caption is'} too long"
            )
        return shown

    @staticmethod
    def _check_markup(markup: dict[str, Any] | None) -> None:
        if not markup or "inline_keyboard" not in markup:
            if markup and "keyboard" in markup:
                for row in markup["keyboard"]:
                    for button in row:
                        if not (button if isinstance(button, str) else button.get("text")):
                            raise ApiError(400, "Bad Request: keyboard button text is empty")
            return
        rows = markup["inline_keyboard"]
        if sum(len(row) for row in rows) > 100 or any(len(row) > 8 for row in rows):
            raise ApiError(400, "Bad Request: too many inline keyboard buttons")
        actions = ("url", "callback_data", "web_app", "login_url", "switch_inline_query",
                   "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
                   "copy_text", "callback_game", "pay")  # fmt: skip
        for row in rows:
            for button in row:
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: inline keyboard button text is empty")
                if sum(1 for key in actions if key in button) != 1:
                    raise ApiError(400, "Bad Request: inline keyboard button needs one action")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")

    def _chat(self, chat_id: Any) -> int:
        try:
            chat = int(chat_id)
        except (TypeError, ValueError):
            raise ApiError(400, "Bad Request: chat not found") from None
        if chat in self._blocked:
            raise ApiError(403, self._blocked[chat])
        if chat not in self._known_chats:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _throttle(self, method: str, chat: int) -> None:
        self._take_failure(method, chat)
        now = time.monotonic()
        refused_until = max(self._refused_until, self._chat_refused_until.get(chat, 0.0))
        if now < refused_until:
            self.rejected_429 += 1
            retry = max(1, math.ceil(refused_until - now))
            raise ApiError(429, f"Too Many Requests: retry after {retry}", retry)
        if self._rate is not None:
            while self._window and now - self._window[0] >= 1.0:
                self._window.popleft()
            if len(self._window) >= self._rate:
                self.rejected_429 += 1
                retry = self._retry_after
                self._refused_until = now + retry
                raise ApiError(429, f"Too Many Requests: retry after {retry}", retry)
        if self._chat_rate is not None:
            last = self._chat_last.get(chat)
            if last is not None and now - last < 1.0 / self._chat_rate:
                self.rejected_429 += 1
                retry = self._retry_after
                self._chat_refused_until[chat] = now + retry
                raise ApiError(429, f"Too Many Requests: retry after {retry}", retry)
        self._window.append(now)
        self._chat_last[chat] = now

    def _take_failure(self, method: str, chat: int | None) -> None:
        """Raises the failure a test queued for this method (and chat), if any."""
        failures = self._failures.get(method.lower()) or deque()
        # The first failure queued for this chat (or for any): calls to different chats may
        # go out in any order, so one queued for a later chat must not hold back the rest.
        failure = next((f for f in failures if f.chat_id in (None, chat)), None)
        if failure is not None:
            failure.times -= 1
            if failure.times <= 0:
                failures.remove(failure)
            if failure.status == 429:
                self.rejected_429 += 1
                retry = failure.retry_after or 1
                raise ApiError(429, f"Too Many Requests: retry after {retry}", retry)
            raise ApiError(failure.status, failure.description or "Internal Server Error")

    # --- methods ---------------------------------------------------------------------------

    async def _dispatch(
        self, raw_method: str, params: dict[str, Any], files: dict[str, Any]
    ) -> Any:
        method = METHODS.get(raw_method.lower())
        if method is None:
            raise ApiError(404, "Not Found")
        p = self._validate(method, params, files)
        lower = method.lower()
        if lower in ("getme", "getfile") and self._failures.get(lower):
            self._throttle(lower, 0)  # fail_next() for calls with no chat (the public site's)
        if lower == "getupdates":
            if self.webhook_url:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; use "
                    "deleteWebhook to delete the webhook first",
                )
            return await self._get_updates(p)
        if lower == "setwebhook":
            return await self._set_webhook(p)
        if lower == "deletewebhook":
            await self._stop_webhook()
            if p.get("drop_pending_updates"):
                self._updates.clear()
            return True
        if lower == "getwebhookinfo":
            return {
                "url": self.webhook_url or "",
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }
        if lower == "getme":
            self._take_failure(method, None)
            return self.bot_user
        if lower in POLLS:
            return self._poll_method(lower, p)
        if lower in SENDING:
            chat = self._chat(p["chat_id"])
            self._throttle(method, chat)
            return self._send(method, chat, p)
        if lower in EDITING:
            if "chat_id" in p:  # fail_next() for edits: a 429, a refusal, a cut connection
                self._take_failure(method, self._chat(p["chat_id"]))
            return self._edit(method, p)
        if lower == "deletemessage":
            chat = self._chat(p["chat_id"])
            if self._messages[chat].pop(p["message_id"], None) is None:
                raise ApiError(400, "Bad Request: message to delete not found")
            return True
        if lower == "setmycommands":
            if self._failures.get(lower):  # fail_next("setMyCommands", ...) applies here too
                self._throttle(method, int((p.get("scope") or {}).get("chat_id") or 0))
            key = (
                json.dumps(p.get("scope") or {"type": "default"}, sort_keys=True),
                p.get("language_code", ""),
            )
            for command in p["commands"]:
                if not 1 <= len(command.get("description", "")) <= 256:
                    raise ApiError(400, "Bad Request: command description is invalid")
            self._commands[key] = p["commands"]
            return True
        if lower == "deletemycommands":
            key = (
                json.dumps(p.get("scope") or {"type": "default"}, sort_keys=True),
                p.get("language_code", ""),
            )
            self._commands.pop(key, None)
            return True
        if lower == "getmycommands":
            key = (
                json.dumps(p.get("scope") or {"type": "default"}, sort_keys=True),
                p.get("language_code", ""),
            )
            return self._commands.get(key, [])
        if lower == "getfile":
            if p["file_id"] not in self._files:
                raise ApiError(400, "Bad Request: invalid file_id")
            return {
                "file_id": p["file_id"],
                "file_unique_id": p["file_id"],
                "file_path": f"documents/{p['file_id']}",
            }
        if lower == "answercallbackquery":
            if p["callback_query_id"] in self._answered_callbacks:
                raise ApiError(
                    400,
                    "Bad Request: query is too old and response timeout expired or query ID is "
                    "invalid",
                )
            self._answered_callbacks.add(p["callback_query_id"])
            text = p.get("text")
            if text is not None and len(text) > 200:
                raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
            return True
        return True

    async def _get_updates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        if self._polling:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        self._polling = True
        try:
            offset = p.get("offset")
            if offset is not None and offset > 0:
                while self._updates and self._updates[0]["update_id"] < offset:
                    self._updates.popleft()
                if offset - 1 > self._confirmed:
                    self._confirmed = offset - 1
                    self._confirmed_changed.set()
            timeout = float(p.get("timeout", 0))
            if not self._updates and timeout > 0:
                self._new_update.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_update.wait(), timeout)
            limit = min(int(p.get("limit", 100)), 100)
            return list(itertools.islice(self._updates, limit))
        finally:
            self._polling = False

    async def _set_webhook(self, p: dict[str, Any]) -> bool:
        url, secret = p["url"], p.get("secret_token")
        if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise ApiError(400, "Bad Request: bad webhook: HTTPS url must be provided for webhook")
        if secret is not None and not all(c.isalnum() or c in "_-" for c in secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if (url, secret) != (self.webhook_url, self._webhook_secret):
            await self._stop_webhook()
            self.webhook_url, self._webhook_secret = url, secret
            self._webhook_task = asyncio.create_task(self._push_to_webhook())
        return True

    async def _stop_webhook(self) -> None:
        self.webhook_url = None
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
            self._webhook_task = None

    async def _push_to_webhook(self) -> None:
        """Posts each update until the bot answers 200; a method in the answer's body is
        carried out like a call of its own. Up to `webhook_connections` updates are posted
        at once (Telegram's max_connections), never two of one chat at once."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": self._webhook_secret or ""}
        if self._webhook_secret is None:
            headers = {}
        running: dict[int, tuple[int | None, asyncio.Task[None]]] = {}  # update -> chat, task
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
            try:
                while True:
                    busy = {chat for chat, _ in running.values()}
                    for update in list(self._updates):
                        if len(running) >= max(self.webhook_connections, 1):
                            break
                        chat = _chat_of(update)
                        if update["update_id"] in running or (chat is not None and chat in busy):
                            continue
                        busy.add(chat)
                        task = asyncio.create_task(self._deliver_update(http, update, headers))
                        running[update["update_id"]] = (chat, task)
                    self._new_update.clear()
                    waiting: set[asyncio.Future[Any]] = {t for _, t in running.values()}
                    waiting.add(asyncio.ensure_future(self._new_update.wait()))
                    _, pending = await asyncio.wait(waiting, return_when="FIRST_COMPLETED")
                    for future in pending - {t for _, t in running.values()}:
                        future.cancel()
                    for update_id, (_, task) in list(running.items()):
                        if task.done():
                            del running[update_id]
            finally:
                for _, task in running.values():
                    task.cancel()

    async def _deliver_update(
        self, http: aiohttp.ClientSession, update: dict[str, Any], headers: dict[str, str]
    ) -> None:
        while True:
            assert self.webhook_url is not None
            try:
                async with http.post(self.webhook_url, json=update, headers=headers) as answer:
                    status = answer.status
                    body = await answer.read()
            except aiohttp.ClientError:
                status, body = 0, b""
            self.webhook_deliveries.append((update["update_id"], status))
            if status == 200:
                break
            await asyncio.sleep(0.2)  # Telegram retries, later
        self._updates.remove(update)
        await self._answer_in_body(body)
        # Confirmed: everything before the oldest update not yet delivered.
        oldest = min((u["update_id"] for u in self._updates), default=self._last_update_id + 1)
        self._confirmed = max(self._confirmed, oldest - 1)
        self._confirmed_changed.set()
        self._new_update.set()  # a chat is free again

    async def _answer_in_body(self, body: bytes) -> None:
        if not body.strip():
            return
        with contextlib.suppress(ValueError):
            reply = json.loads(body)
            if isinstance(reply, dict) and "method" in reply:
                method = reply.pop("method")
                call = ApiCall(method, reply, {})
                self.calls.append(call)
                try:
                    call.response = await self._dispatch(method, reply, {})
                except ApiError as error:
                    call.status, call.response = error.status, error.description

    def _store_file(self, upload: Any, kind: str) -> tuple[str, str, bytes]:
        if isinstance(upload, tuple):
            name, data = upload
            file_id = f"{kind}-{next(self._file_ids)}"
            self._files[file_id] = (name, data)
            return file_id, name, data
        if upload not in self._files:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        name, data = self._files[upload]
        return upload, name, data

    def _send(self, method: str, chat: int, p: dict[str, Any]) -> Any:
        if method == "sendMediaGroup":
            return [
                self._send(
                    "sendPhoto",
                    chat,
                    {"photo": media.get("media"), "caption": media.get("caption")},
                )
                for media in p["media"]
            ]
        message_id = next(self._message_ids[chat])
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._known_chats[chat],
            "from": self.bot_user,
        }
        record = SentMessage(chat, message_id, method, parse_mode=p.get("parse_mode"))
        if method == "sendMessage":
            self._check_text(p["text"], p.get("parse_mode"), 4096, "text")
            message["text"] = record.text = p["text"]
        else:
            caption = p.get("caption")
            if caption is not None:
                self._check_text(caption, p.get("parse_mode"), 1024, "caption")
                message["caption"] = record.text = caption
            if method == "sendDocument":
                file_id, name, data = self._store_file(p["document"], "document")
                message["document"] = {
                    "file_id": file_id,
                    "file_unique_id": file_id,
                    "file_name": name,
                    "file_size": len(data),
                }
                record.document = (name, data)
            elif method == "sendPhoto":
                file_id, _, data = self._store_file(p["photo"], "photo")
                message["photo"] = [
                    {"file_id": file_id, "file_unique_id": file_id, "width": 512, "height": 512}
                ]
                record.photo = data
        markup = p.get("reply_markup")
        self._check_markup(markup)
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        record.reply_markup = markup
        self._messages[chat][message_id] = message
        self._record(record)
        return message

    def _edit(self, method: str, p: dict[str, Any]) -> Any:
        if "inline_message_id" in p:
            return True
        chat = self._chat(p.get("chat_id"))
        message = self._messages[chat].get(int(p.get("message_id", 0)))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        markup = p.get("reply_markup")
        self._check_markup(markup)
        before = (message.get("text"), message.get("caption"), message.get("reply_markup"))
        if method == "editMessageText":
            self._check_text(p["text"], p.get("parse_mode"), 4096, "text")
            message["text"] = p["text"]
        elif method == "editMessageCaption":
            self._check_text(p.get("caption") or "", p.get("parse_mode"), 1024, "caption")
            message["caption"] = p.get("caption")
        if markup and "inline_keyboard" in markup and markup["inline_keyboard"]:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        if before == (message.get("text"), message.get("caption"), message.get("reply_markup")):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        self._record(SentMessage(
            chat, message["message_id"], method,
            text=message.get("text") or message.get("caption"),
            parse_mode=p.get("parse_mode"), reply_markup=message.get("reply_markup"), edited=True,
        ))  # fmt: skip
        return message

    def _record(self, record: SentMessage) -> None:
        self.sent.append(record)
        self._sent_by_chat[record.chat_id].append(record)
        if not record.edited:
            self.sent_count += 1
        self._sent_changed.set()
        if record.chat_id in self._chat_events:
            self._chat_events[record.chat_id].set()

    # --- polls (sendPoll, stopPoll, poll_answer) -------------------------------------------

    def _poll_method(self, lower: str, p: dict[str, Any]) -> Any:
        chat = self._chat(p["chat_id"])
        self._throttle("stopPoll" if lower == "stoppoll" else "sendPoll", chat)
        if lower == "stoppoll":
            return self._stop_poll(chat, int(p["message_id"]))
        question = p["question"]
        if p.get("question_parse_mode"):
            question = self._check_text(question, p["question_parse_mode"], 10**6, "question")
        description = p.get("description") or ""
        if p.get("description_parse_mode"):
            description = self._check_text(description, p["description_parse_mode"], 1024, "d")
        if len(description) > 1024:
            raise ApiError(400, "Bad Request: poll description is too long")
        if not question.strip():
            raise ApiError(400, "Bad Request: poll question must be non-empty")
        if len(question) > POLL_QUESTION[1]:
            raise ApiError(
                400, f"Bad Request: poll question length must not exceed {POLL_QUESTION[1]}"
            )
        options = p["options"]
        if len(options) < POLL_OPTIONS[0]:
            raise ApiError(400, f"Bad Request: poll must have at least {POLL_OPTIONS[0]} option")
        if len(options) > POLL_OPTIONS[1]:
            raise ApiError(400, f"Bad Request: poll can't have more than {POLL_OPTIONS[1]} options")
        texts = []
        for option in options:
            text = option.get("text", "") if isinstance(option, dict) else str(option)
            if not text.strip():
                raise ApiError(400, "Bad Request: poll options must be non-empty")
            if len(text) > POLL_OPTION_TEXT[1]:
                raise ApiError(
                    400, f"Bad Request: poll options length must not exceed {POLL_OPTION_TEXT[1]}"
                )
            texts.append(text)
        if len(set(texts)) != len(texts):
            raise ApiError(400, "Bad Request: POLL_OPTION_DUPLICATE")
        self._check_markup(p.get("reply_markup"))
        poll_id = str(next(self._poll_ids))
        poll = {
            "id": poll_id,
            "question": question,
            "options": [
                {"text": text, "voter_count": 0, "persistent_id": f"{poll_id}-{i}"}
                for i, text in enumerate(texts)
            ],
            "total_voter_count": 0,
            "is_closed": bool(p.get("is_closed", False)),
            "is_anonymous": bool(p.get("is_anonymous", True)),
            "type": p.get("type", "regular"),
            "allows_multiple_answers": bool(p.get("allows_multiple_answers", False)),
            "allows_revoting": bool(p.get("allows_revoting", True)),
            "members_only": False,
        }
        if description:
            poll["description"] = description
        message_id = next(self._message_ids[chat])
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._known_chats[chat],
            "from": self.bot_user,
            "poll": poll,
        }
        self._messages[chat][message_id] = message
        self.polls[poll_id] = FakePoll(chat, message_id, poll)
        self._record(SentMessage(chat, message_id, "sendPoll", text=question, poll=poll))
        return message

    def _stop_poll(self, chat: int, message_id: int) -> dict[str, Any]:
        found = next(
            (f for f in self.polls.values() if (f.chat_id, f.message_id) == (chat, message_id)),
            None,
        )
        if found is None:
            raise ApiError(400, "Bad Request: message with poll to stop not found")
        if found.poll["is_closed"]:
            raise ApiError(400, "Bad Request: poll has already been closed")
        found.poll["is_closed"] = True
        return found.poll

    def answer_poll(self, poll_id: str, user: dict[str, Any], option_ids: list[int]) -> int:
        """A person taps options in a poll (or retracts with []); returns the update id.
        The bot hears of it as a poll_answer update (non-anonymous polls only, as Telegram)."""
        found = self.polls[poll_id]
        poll = found.poll
        if poll["is_closed"]:
            raise PollClosed(f"poll {poll_id} is closed: the vote cannot be cast")
        if user["id"] != found.chat_id:
            raise AssertionError("a poll in a private chat is answered by that chat's person")
        count = len(poll["options"])
        if any(not 0 <= i < count for i in option_ids) or len(set(option_ids)) != len(option_ids):
            raise AssertionError(f"no such options {option_ids} in a poll of {count}")
        if len(option_ids) > 1 and not poll["allows_multiple_answers"]:
            raise AssertionError("this poll takes one answer")
        before = found.votes.get(user["id"], [])
        if before and not poll["allows_revoting"]:
            raise AssertionError("this poll does not allow changing the answer")
        for i in before:
            poll["options"][i]["voter_count"] -= 1
        for i in option_ids:
            poll["options"][i]["voter_count"] += 1
        if option_ids:
            found.votes[user["id"]] = sorted(option_ids)
        else:
            found.votes.pop(user["id"], None)
        poll["total_voter_count"] = len(found.votes)
        if poll["is_anonymous"]:
            return self.push_update({"poll": dict(poll)})
        return self.push_update(
            {
                "poll_answer": {
                    "poll_id": poll_id,
                    "user": user,
                    "option_ids": sorted(option_ids),
                    "option_persistent_ids": [
                        poll["options"][i]["persistent_id"] for i in sorted(option_ids)
                    ],
                }
            }
        )


def _chat_of(update: dict[str, Any]) -> int | None:
    """The chat (or the person) an update comes from."""
    for value in update.values():
        if isinstance(value, dict):
            chat = (value.get("chat") or (value.get("message") or {}).get("chat") or {}).get("id")
            return chat if chat is not None else (value.get("from") or {}).get("id")
    return None
