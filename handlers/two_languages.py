"""A text an organizer gives in Kyrgyz, then in Russian, either one skippable but not both: a
draft's title (organizer/drafts/new_draft.py) and a poll's question (organizer/polls/compose.py).
The answers go into the FSM data under `<field>_ky` and `<field>_ru`."""

from collections.abc import Callable
from dataclasses import dataclass

from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _


@dataclass(frozen=True)
class InTwoLanguages:
    kyrgyz: State
    russian: State
    field: str
    ask_russian: str  # a msgid (N_): the question after the Kyrgyz text
    ask_again: str  # a msgid: neither language was given, the Kyrgyz text is asked again
    skip: Callable[[], InlineKeyboardMarkup]  # the keyboard with «Skip»

    @property
    def states(self) -> StateFilter:
        return StateFilter(self.kyrgyz, self.russian)

    def key(self, current: str | None) -> str:
        """The data key an answer given in the state `current` fills."""
        return f"{self.field}_ky" if current == self.kyrgyz.state else f"{self.field}_ru"

    async def ask_next(self, message: Message, state: FSMContext, current: str | None) -> bool:
        """After an answer or a skip in `current`: asks for the Russian text after the Kyrgyz
        one, or for the Kyrgyz one again when neither was given. False: the pair is done."""
        if current == self.kyrgyz.state:
            await state.set_state(self.russian)
            await message.answer(_(self.ask_russian), reply_markup=self.skip())
            return True
        data = await state.get_data()
        if not data.get(f"{self.field}_ky") and not data.get(f"{self.field}_ru"):
            await state.set_state(self.kyrgyz)
            await message.answer(_(self.ask_again), reply_markup=self.skip())
            return True
        return False
