"""The keyboard walk: a person presses every inline button the bot shows them, and each press
must be answered (a message, an edit, or an alert that is right for the person's role). The
set of callback prefixes and actions comes from the code itself (tests/test_no_dead_buttons_e2e.py
checks the walk reached all of them)."""

import ast
import enum
import importlib
import json
import pathlib
import pkgutil
import re
from collections import deque
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

from aiogram.filters.callback_data import CallbackData

from tests.fake_bot_api import FakeTelegramServer, Person

ROOT = pathlib.Path(__file__).resolve().parent.parent
ACTION_FIELDS = ("action", "step", "field")
# Pressed last: they erase the person, cancel an event, retire an agency, take a role away,
# or switch the person's language.
LAST = ("deleteme:1", "org:cancel_yes", "agd:retire_yes", "role:revoke", "agd:unrep", "lang:")


def callback_classes() -> dict[str, type[CallbackData]]:
    """Every CallbackData class of the bot, by prefix."""
    for module in ("bot.keyboards", "handlers"):
        package = importlib.import_module(module)
        for found in pkgutil.walk_packages(package.__path__, f"{module}."):
            importlib.import_module(found.name)
    return {cls.__prefix__: cls for cls in subclasses(CallbackData)}


def subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def action_value(node: ast.expr, enums: dict[str, type[enum.Enum]]) -> str | None:
    """A literal action ("publish") or an Enum member (`XAction.PUBLISH`) as its value."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        members = enums.get(node.value.id)
        member = getattr(members, node.attr, None) if members else None
        if isinstance(member, enum.Enum) and isinstance(member.value, str):
            return member.value
    return None


def action_field(cls: type[CallbackData]) -> str | None:
    return next((name for name in ACTION_FIELDS if name in cls.model_fields), None)


def buttons_in_code() -> set[tuple[str, str]]:
    """(prefix, action) of every button the code builds with a literal action or an Enum member;
    a class with no
    action field counts as (prefix, "")."""
    classes = callback_classes()
    by_name = {cls.__name__: cls for cls in classes.values()}
    enums = {cls.__name__: cls for cls in subclasses(enum.Enum)}
    found: set[tuple[str, str]] = set()
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            aliases = {
                alias.asname or alias.name: alias.name
                for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom)
                for alias in node.names
            }
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                cls = by_name.get(aliases.get(name or "", name or ""))
                if cls is None:
                    continue
                key = action_field(cls)
                if key is None:
                    found.add((cls.__prefix__, ""))
                    continue
                given = [kw.value for kw in node.keywords if kw.arg == key]
                if not given:
                    default = cls.model_fields[key].default
                    if isinstance(default, enum.Enum):
                        default = default.value
                    if isinstance(default, str):
                        found.add((cls.__prefix__, default))
                elif (action := action_value(given[0], enums)) is not None:
                    found.add((cls.__prefix__, action))
    return found


def pair_of(data: str, classes: dict[str, type[CallbackData]]) -> tuple[str, str]:
    prefix = data.split(":", 1)[0]
    cls = classes.get(prefix)
    if cls is None:
        return prefix, "?"
    key = action_field(cls)
    if key is None:
        return prefix, ""
    return prefix, str(getattr(cls.unpack(data), key))


def _markup(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        return json.loads(value) if value else {}
    return value or {}


@dataclass
class Press:
    who: str
    data: str
    outcome: str  # "reply", "edit", "alert: <text>" or "nothing"


@dataclass
class Walker:
    telegram: FakeTelegramServer
    person: Person
    label: str
    role_alerts: dict[str, set[str]]  # role -> the alert in both languages
    my_roles: set[str]
    classes: dict[str, type[CallbackData]]
    per_action: int = 2
    budget: int = 400
    pressed: set[str] = field(default_factory=set)
    reached: set[tuple[str, str]] = field(default_factory=set)
    seen_data: set[str] = field(default_factory=set)
    log: list[Press] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    last_reply: list[Any] = field(default_factory=list)
    _counts: dict[tuple[str, str], int] = field(default_factory=dict)

    # --- one press ---------------------------------------------------------------------

    async def press(self, data: str, message: dict[str, Any]) -> str:
        before = len(self.telegram.calls)
        self.last_reply = await self.person.press_data(data, deepcopy(message))
        outcome = self._outcome(self.telegram.calls[before:])
        pair = pair_of(data, self.classes)
        self.pressed.add(data)
        self.reached.add(pair)
        self._counts[pair] = self._counts.get(pair, 0) + 1
        self.log.append(Press(self.label, data, outcome))
        if outcome == "nothing":
            self.failures.append(f"{self.label}: {data!r} got no reply, no edit and no alert")
        elif outcome.startswith("alert: "):
            text = outcome.removeprefix("alert: ")
            for role in self.my_roles:
                if text in self.role_alerts.get(role, set()):
                    self.failures.append(f"{self.label}: {data!r} told a {role}: {text!r}")
        self.budget -= 1
        return outcome

    def _outcome(self, calls: list[Any]) -> str:
        chat = str(self.person.user_id)
        alert = None
        for call in calls:
            method, params = call.method.lower(), call.params
            if call.status != 200:
                continue
            if method.startswith("send") and str(params.get("chat_id")) == chat:
                return "reply"
            if method in ("editmessagetext", "editmessagecaption", "editmessagemedia"):
                return "edit"
            if method == "editmessagereplymarkup" and _markup(params.get("reply_markup")).get(
                "inline_keyboard"
            ):
                return "edit"
            if method == "answercallbackquery" and params.get("text"):
                alert = f"alert: {params['text']}"
        return alert or "nothing"

    async def press_first(self, prefix: str) -> str:
        """Presses the newest button whose data starts with `prefix` (a scripted step)."""
        for message in self.telegram.current_messages(self.person.user_id):  # newest first
            for row in _markup(message.get("reply_markup")).get("inline_keyboard", []):
                for button in row:
                    if button.get("callback_data", "").startswith(prefix):
                        return await self.press(button["callback_data"], message)
        # The coverage check names whatever this leaves unreached.
        self.absent.append(prefix)
        return "absent"

    async def press_in_reply(self, prefix: str) -> str:
        """Presses a button of the last press's reply as it was sent, even if edited since
        (a progress message's Stop button, after the sending ended)."""
        for sent in self.last_reply:
            for row in _markup(sent.reply_markup).get("inline_keyboard", []):
                for button in row:
                    if button.get("callback_data", "").startswith(prefix):
                        message = {
                            "message_id": sent.message_id,
                            "date": 0,
                            "chat": self.person.chat,
                            "text": sent.text or "",
                        }
                        return await self.press(button["callback_data"], message)
        self.absent.append(prefix)
        return "absent"

    async def send(self, text: str) -> list[Any]:
        return await self.person.send(text)

    # --- every button ------------------------------------------------------------------

    def _shown(self) -> list[tuple[str, dict[str, Any]]]:
        found = []
        for message in self.telegram.current_messages(self.person.user_id):
            for row in _markup(message.get("reply_markup")).get("inline_keyboard", []):
                for button in row:
                    data = button.get("callback_data")
                    if data:
                        self.seen_data.add(data)
                        found.append((data, message))
        return found

    async def press_everything(self) -> None:
        """Breadth first over every button shown, new ones included; a few of each action."""
        queue: deque[tuple[str, dict[str, Any]]] = deque()
        last: list[tuple[str, dict[str, Any]]] = []
        queued: set[str] = set()

        def refill() -> None:
            for data, message in self._shown():
                if data in self.pressed or data in queued:
                    continue
                if self._counts.get(pair_of(data, self.classes), 0) >= self.per_action:
                    continue
                queued.add(data)
                (last if data.startswith(LAST) else queue).append((data, deepcopy(message)))

        refill()
        while self.budget > 0 and (queue or last):
            data, message = queue.popleft() if queue else last.pop(0)
            if self._counts.get(pair_of(data, self.classes), 0) >= self.per_action:
                continue
            await self.press(data, message)
            refill()


COMMAND = re.compile(r"(?<![\w/])/([a-z][a-z_]*)")


def commands_in(text: str) -> set[str]:
    return set(COMMAND.findall(text))
