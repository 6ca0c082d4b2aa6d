"""Wizards as step tables: a conversation that asks one question after another, each answer
kept in the FSM data (in the database, so a restart loses nothing) until the last one.

A wizard is a table of `Step`s. For each step the table says which field of the form its
answer fills, the question and its keyboard, and how to parse the answer (one validator that
raises `InvalidInput`). The table, not the step, knows what comes next: the fields come in the
order of the table; a button value may take a detour to another step first (registration:
"abroad" asks for the country). Handlers stay a line or two: they take `(message, conv)` and
call the wizard (`on_text`, `choose`, `skip`, `answered`).

How a wizard plugs in (registration, the event form, the proposal form, announcements, the
summary form):

1. Keep its `StatesGroup` class and attribute names: they make the state strings stored for
   people half-way through (`Registration:full_name`), which must mean the same step after.
2. Write the table: `Step(state, field, question=N_("..."), keyboard=..., parse=...)` per
   state; `into(key, validator)` / `checked(key, check)` build the usual parsers.
3. `WIZARD = Wizard(steps, finish=..., save_one=..., explain=..., answers_key=...)`:
   `finish(conv, answers)` writes the whole form at the end; `save_one(conv, field, answers)`
   writes one field edited on its own (`begin_one`); `explain` turns an `InvalidInput` into
   words; `answers_key` names the dict of answers in the FSM data, as the old code stored it
   (the data is `{"mode": "register" | "edit", "field": ..., answers_key: {...}}`); with
   `answers_key=None` the answers are the data itself (the proposal form's layout), and
   `edits_one(data)` says from the data before an answer whether it edits one field.
4. In its `router()`: `conversations(r)`, then register `WIZARD.on_text` for its text steps
   (`StateFilter(*WIZARD.states(Input.TEXT)), F.text`) and, for its buttons, a handler that
   unpacks the callback data and calls `WIZARD.choose(callback, callback_answer, conv, field,
   value)`; steps with their own input (a contact, a photo) get their own handlers
   (`Input.OWN`) that call `WIZARD.take(...)` or `WIZARD.answered(...)`.

Steps may share one state, the current one named in the data (`step_key`: the event form's
`{"step": ..., "answers": {...}}`), and the order may depend on the answers (`following`).

A form filled once, without edit mode, whose answers are the FSM data itself (announcements:
`{"text_ky": ..., "attachment_kind": ...}`), is `Wizard.form(steps, finish, explain)`. On a
router shared with other handlers (the organizers'), give `conv` to the form's handlers only,
with the `Conversing()` filter instead of `conversations(router)`. A step whose question
depends on the answers so far (or shows more than a question: a preview) asks in its own way
(`Step(..., ask=...)`). A step that takes several answers (the summary's paragraphs) says
what it answers to each (`Step(..., stay=N_("Added..."))`); its own button calls
`WIZARD.advance(conv, field)` to move on.
"""

import dataclasses
import enum
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import translations
from bot.services.errors import InvalidInput
from handlers.common import drop_buttons, no_longer_active
from handlers.conversation import Conversation as Conversation
from handlers.conversation import Conversing as Conversing
from handlers.conversation import conversation_of as conversation_of
from handlers.conversation import conversations as conversations

Values = dict[str, Any]
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
# The data of a conversation says whether it fills the whole form or edits one field.
FILL_ALL, FILL_ONE = "register", "edit"


class Input(enum.Enum):
    TEXT = "text"  # a typed answer, parsed by the step
    BUTTONS = "buttons"  # a press on one of the step's buttons
    OWN = "own"  # the wizard's own handlers (a shared contact...)


Parse = Callable[[Conversation, str], Awaitable[Values]]
Keyboard = Callable[[Conversation], Awaitable[Markup | None]]


def into(key: str, validator: Callable[[str], Any], **also: Any) -> Parse:
    """The validated text goes under `key` (with `also` beside it)."""

    async def parse(conv: Conversation, raw: str) -> Values:
        return {**also, key: validator(raw)}

    return parse


def checked(key: str, check: Callable[[AsyncSession, str], Awaitable[Any]], **also: Any) -> Parse:
    """A button's value, once `check` found it in the database, goes under `key`."""

    async def parse(conv: Conversation, raw: str) -> Values:
        await check(conv.session, raw)
        return {**also, key: raw}

    return parse


def fixed(make: Callable[[], Markup]) -> Keyboard:
    """A keyboard that does not depend on the database."""

    async def keyboard(conv: Conversation) -> Markup | None:
        return make()

    return keyboard


@dataclass(frozen=True)
class Step:
    state: State
    field: str  # the field of the form this step's answer fills
    question: str  # a msgid (N_), translated when asked
    input: Input = Input.TEXT
    keyboard: Keyboard | None = None
    parse: Parse | None = None
    button: str = ""  # the field name the step's buttons carry in their callback data
    # A button value that leads to another step first, and what it stores on the way.
    detours: Mapping[str, tuple[State, Values]] = dataclasses.field(default_factory=dict)
    skippable: bool = False  # a Skip button leaves the field empty
    remind: bool = False  # a refused answer shows the keyboard again
    # Asks in its own way instead of `question` and `keyboard` (which a refusal still uses).
    ask: Callable[[Conversation], Awaitable[None]] | None = None
    # A msgid: the step takes several answers, each kept and answered with this (and the
    # keyboard); the step's own button moves on (`Wizard.advance`).
    stay: str = ""
    # Values the translated question is formatted with ({minimum}...), if any.
    question_args: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    # Checks the answers with this one (raises InvalidInput): refused, the field is dropped.
    agrees: Callable[[Values], None] | None = None


def _mode_is_edit(data: Values) -> bool:
    return data.get("mode") == FILL_ONE


@dataclass(frozen=True)
class Wizard:
    steps: Sequence[Step]
    finish: Callable[[Conversation, Values], Awaitable[None]]
    save_one: Callable[[Conversation, str, Values], Awaitable[None]] | None
    explain: Callable[[InvalidInput], str]
    answers_key: str | None = "answers"  # None: the answers are the FSM data itself
    # Whether an answer edits one field (then `save_one`), judged on the data before it.
    edits_one: Callable[[Values], bool] = _mode_is_edit
    # Steps sharing one state: the data key naming the current step (the event form's "step").
    step_key: str | None = None
    # The field after a field, given the answers (default: the table's order).
    following: Callable[[str, Values], str | None] | None = None

    @classmethod
    def form(
        cls,
        steps: Sequence[Step],
        finish: Callable[[Conversation, Values], Awaitable[None]],
        explain: Callable[[InvalidInput], str],
    ) -> "Wizard":
        """A form filled once from the first step to the last, its answers the FSM data."""
        return cls(steps, finish, None, explain, answers_key=None)

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields in the order the wizard asks them."""
        return tuple(dict.fromkeys(step.field for step in self.steps))

    def first_step(self, field: str) -> Step:
        return next(step for step in self.steps if step.field == field)

    def step_at(self, state: str | None) -> Step | None:
        return next((step for step in self.steps if step.state.state == state), None)

    def states(self, *inputs: Input) -> tuple[State, ...]:
        return tuple(step.state for step in self.steps if not inputs or step.input in inputs)

    async def current(self, state: FSMContext) -> Step | None:
        if self.step_key is not None:
            field = (await state.get_data()).get(self.step_key)
            return next((step for step in self.steps if step.field == field), None)
        return self.step_at(await state.get_state())

    # --- entering ----------------------------------------------------------------------

    async def begin(
        self, conv: Conversation, data: Values | None = None, *, lead: str = ""
    ) -> None:
        """Asks the first step, after `lead` (translated) if given; a `form` may start with
        `data` (what the form is about)."""
        first = self.steps[0]
        await conv.state.set_state(first.state)
        if self.answers_key is None:
            await conv.state.set_data(dict(data or {}))
        else:
            await conv.state.set_data({"mode": FILL_ALL, self.answers_key: {}})
        await self.ask(conv, first, lead=lead)

    async def begin_one(self, conv: Conversation, field: str) -> None:
        assert self.answers_key is not None, "a flat form says by `edits_one` what it edits"
        step = self.first_step(field)
        await conv.state.set_state(step.state)
        await conv.state.set_data({"mode": FILL_ONE, "field": field, self.answers_key: {}})
        await self.ask(conv, step)

    async def ask(self, conv: Conversation, step: Step, *, lead: str = "") -> None:
        """Shows the question of a step with its buttons, in the current language; `lead`
        (translated: a thank-you, "let us continue") opens the same message."""
        if step.ask is not None:
            if lead:
                await conv.message.answer(lead)
            await step.ask(conv)
            return
        keyboard = await step.keyboard(conv) if step.keyboard else None
        question = _(step.question)
        if step.question_args:
            question = question.format(**step.question_args)
        text = f"{lead}\n\n{question}" if lead else question
        await conv.message.answer(text, reply_markup=keyboard)

    # --- answers -----------------------------------------------------------------------

    async def on_text(self, message: Message, conv: Conversation) -> None:
        """The handler of every `Input.TEXT` step."""
        step = await self.current(conv.state)
        if step is not None:
            await self.take(conv, step, message.text or "")

    async def take(self, conv: Conversation, step: Step, raw: str) -> None:
        """Parses a typed answer: refused, the person is told why and asked again."""
        assert step.parse is not None, step
        try:
            values = await step.parse(conv, raw)
        except InvalidInput as error:
            keyboard = await step.keyboard(conv) if step.remind and step.keyboard else None
            await conv.message.answer(self.explain(error), reply_markup=keyboard)
            return
        await self.answered(conv, step.field, values)

    async def choose(
        self,
        callback: CallbackQuery,
        callback_answer: CallbackAnswer,
        conv: Conversation,
        button: str,
        value: str,
    ) -> None:
        """A press on one of the current step's buttons; an old or foreign one is refused."""
        step = await self.current(conv.state)
        if step is None or step.parse is None or step.button != button:
            no_longer_active(callback_answer)
            return
        try:
            values = await step.parse(conv, value)
        except InvalidInput:
            no_longer_active(callback_answer)
            return
        await drop_buttons(callback)
        if value in step.detours:
            target, stored = step.detours[value]
            if stored:
                await self.store(conv.state, stored)
            await self.go(conv, target)
            return
        await self.answered(conv, step.field, values)

    async def skip_typed(
        self, message: Message, conv: Conversation, i18n: I18n, field: str, remind: str
    ) -> None:
        """Text on a step that waits for something else (a photo or a document): «Skip» typed
        in the person's language leaves `field` empty; anything else is answered with `remind`
        (a msgid)."""
        if message.text in translations(i18n, "Skip"):
            await self.answered(conv, field, {})
            return
        await message.answer(_(remind))

    async def skip(
        self, callback: CallbackQuery, answer: CallbackAnswer, conv: Conversation, field: str
    ) -> None:
        """A press on the current step's Skip button leaves its field empty."""
        step = await self.current(conv.state)
        if step is None or not step.skippable or step.field != field:
            no_longer_active(answer)
            return
        await drop_buttons(callback)
        await self.answered(conv, field, {field: None})

    # --- moving on ---------------------------------------------------------------------

    async def answered(self, conv: Conversation, field: str, values: Values) -> None:
        """Keeps the answer; then the next field, the end of the form, or the one field saved."""
        editing = self.save_one is not None and self.edits_one(await conv.state.get_data())
        answers = self.answers(await self.store(conv.state, values))
        step = self.first_step(field)
        if step.agrees is not None and not await self._agree(conv, step, answers):
            return
        if editing and self.save_one is not None:
            await self.save_one(conv, field, answers)
            return
        if step.stay:
            keyboard = await step.keyboard(conv) if step.keyboard else None
            await conv.message.answer(_(step.stay), reply_markup=keyboard)
            return
        await self.advance(conv, field, answers)

    async def advance(self, conv: Conversation, field: str, answers: Values | None = None) -> None:
        """The step after `field`'s, or the end of the form."""
        if answers is None:
            answers = self.answers(await conv.state.get_data())
        if self.following is not None:
            after = self.following(field, answers)
        else:
            position = self.fields.index(field) + 1
            after = self.fields[position] if position < len(self.fields) else None
        if after is None:
            await self.finish(conv, answers)
            return
        await self.enter(conv, self.first_step(after))

    async def _agree(self, conv: Conversation, step: Step, answers: Values) -> bool:
        """`step.agrees` refused: the answer is dropped, the person told why and asked again."""
        assert step.agrees is not None
        try:
            step.agrees(answers)
        except InvalidInput as error:
            data = await conv.state.get_data()
            self.answers(data).pop(step.field, None)
            await conv.state.set_data(data)
            await conv.message.answer(self.explain(error))
            await self.ask(conv, step)
            return False
        return True

    def answers(self, data: Values) -> Values:
        return data if self.answers_key is None else data[self.answers_key]

    async def store(self, state: FSMContext, values: Values) -> Values:
        data = await state.get_data()
        if self.answers_key is None:
            data.update(values)
        else:
            data[self.answers_key] = {**data.get(self.answers_key, {}), **values}
        await state.set_data(data)
        return data

    async def go(self, conv: Conversation, target: State) -> None:
        step = self.step_at(target.state)
        assert step is not None, target
        await self.enter(conv, step)

    async def enter(self, conv: Conversation, step: Step) -> None:
        """Makes `step` the current one and asks it."""
        await conv.state.set_state(step.state)
        if self.step_key is not None:
            await conv.state.update_data({self.step_key: step.field})
        await self.ask(conv, step)
