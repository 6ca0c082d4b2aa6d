"""A person talking to the bot: each action is a real Update served by getUpdates, and
returns what the bot sent or edited in this chat while handling it."""

import itertools
import time
from collections.abc import Callable
from typing import Any

from tests.fake_bot_api.server import DEFAULT_WAIT, FakeTelegramServer, SentMessage

_message_ids = itertools.count(1)
_callback_ids = itertools.count(1)


class Person:
    def __init__(
        self,
        server: FakeTelegramServer,
        user_id: int,
        first_name: str = "Айгүл",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ky",
    ) -> None:
        self.server = server
        self.user_id = user_id
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            self.user["last_name"] = last_name
        if username:
            self.user["username"] = username
        if language_code:
            self.user["language_code"] = language_code
        self.chat = {"id": user_id, "type": "private", "first_name": first_name}

    # --- what the person does ----------------------------------------------------------

    async def send(self, text: str) -> list[SentMessage]:
        message = self._message(text=text)
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return await self._update({"message": message})

    async def press(self, label: str, message: dict[str, Any] | None = None) -> list[SentMessage]:
        target, button = self._find_button(label, message)
        if "callback_data" not in button:
            raise AssertionError(f"button {label!r} is not a callback button: {button}")
        return await self._callback(button["callback_data"], target)

    async def press_data(
        self, data: str, message: dict[str, Any] | None = None
    ) -> list[SentMessage]:
        """A callback with any data: a stale or forged button."""
        target = message or next(iter(self.server.current_messages(self.user_id)), None)
        if target is None:
            target = {"message_id": 1, "date": int(time.time()), "chat": self.chat, "text": "…"}
        return await self._callback(data, target)

    async def tap(self, label: str) -> list[SentMessage]:
        """Presses a button of the reply keyboard under the input field."""
        keyboard = self.reply_keyboard()
        buttons = [b if isinstance(b, dict) else {"text": b} for row in keyboard for b in row]
        for button in buttons:
            if button["text"] == label:
                if button.get("request_contact"):
                    return await self.share_contact(own=True)
                return await self.send(label)
        labels = [b["text"] for b in buttons]
        raise AssertionError(f"no reply-keyboard button {label!r}; there are {labels}")

    async def share_contact(
        self, phone: str = "+996700123456", own: bool = True
    ) -> list[SentMessage]:
        contact = {
            "phone_number": phone,
            "first_name": self.user["first_name"],
            "user_id": self.user_id if own else self.user_id + 777_777,
        }
        return await self._update({"message": self._message(contact=contact)})

    async def send_sticker(self) -> list[SentMessage]:
        sticker = {
            "file_id": "sticker-1", "file_unique_id": "s1", "type": "regular",
            "width": 512, "height": 512, "is_animated": False, "is_video": False,
        }  # fmt: skip
        return await self._update({"message": self._message(sticker=sticker)})

    async def send_photo(self, caption: str | None = None) -> list[SentMessage]:
        photo = [
            {
                "file_id": f"user-photo-{self.user_id}",
                "file_unique_id": "p1",
                "width": 800,
                "height": 600,
            }
        ]
        extra = {"caption": caption} if caption else {}
        return await self._update({"message": self._message(photo=photo, **extra)})

    async def send_voice(self) -> list[SentMessage]:
        voice = {"file_id": "voice-1", "file_unique_id": "v1", "duration": 3}
        return await self._update({"message": self._message(voice=voice)})

    async def send_document(self, filename: str, data: bytes = b"%PDF-1.4") -> list[SentMessage]:
        file_id = f"user-doc-{next(_message_ids)}"
        self.server._files[file_id] = (filename, data)
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": filename,
            "file_size": len(data),
        }
        return await self._update({"message": self._message(document=document)})

    async def send_location(self) -> list[SentMessage]:
        location = {"latitude": 42.87, "longitude": 74.59}
        return await self._update({"message": self._message(location=location)})

    async def send_in_group(self, text: str, group_id: int = -100123) -> list[SentMessage]:
        message = self._message(text=text)
        message["chat"] = {"id": group_id, "type": "supergroup", "title": "Кеңеш тобу"}
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        update_id = self.server.push_update({"message": message})
        await self.server.wait_confirmed(update_id)
        return []

    async def vote(
        self, option_ids: list[int], poll: SentMessage | None = None
    ) -> list[SentMessage]:
        """Taps options in a native poll (the latest one sent to this chat unless given);
        `[]` retracts the vote. Raises PollClosed for a closed poll, as the app would not let
        anyone vote."""
        target = poll or self.last_poll()
        assert target is not None and target.poll is not None, "no poll was sent to this person"
        before = len(self.server.messages_to(self.user_id))
        update_id = self.server.answer_poll(target.poll["id"], self.user, option_ids)
        await self.server.wait_confirmed(update_id)
        return self.server.messages_to(self.user_id)[before:]

    def polls(self) -> list[SentMessage]:
        return [m for m in self.inbox if m.poll is not None]

    def last_poll(self) -> SentMessage | None:
        found = self.polls()
        return found[-1] if found else None

    # --- what the person sees ------------------------------------------------------------

    @property
    def inbox(self) -> list[SentMessage]:
        return self.server.messages_to(self.user_id)

    @property
    def last(self) -> str | None:
        message = self.server.last_message(self.user_id)
        return message.text if message else None

    def reply_keyboard(self) -> list[list[Any]]:
        """The reply keyboard currently shown (the latest one sent, unless removed)."""
        for message in reversed(self.inbox):
            markup = message.reply_markup or {}
            if message.edited:
                continue
            if "keyboard" in markup:
                return markup["keyboard"]
            if markup.get("remove_keyboard"):
                return []
        return []

    async def wait_for(
        self, match: str | Callable[[SentMessage], bool], timeout: float = DEFAULT_WAIT
    ) -> SentMessage:
        def predicate(message: SentMessage) -> bool:
            if message.chat_id != self.user_id:
                return False
            if callable(match):
                return match(message)
            return match in (message.text or "")

        return await self.server.wait_sent(predicate, timeout)

    # --- plumbing ----------------------------------------------------------------------

    def _message(self, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(_message_ids),
            "date": int(time.time()),
            "chat": self.chat,
            "from": self.user,
            **content,
        }

    def _callback_payload(self, data: str, message: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": str(next(_callback_ids)),
            "from": self.user,
            "chat_instance": f"ci-{self.user_id}",
            "message": message,
            "data": data,
        }

    async def _callback(self, data: str, message: dict[str, Any]) -> list[SentMessage]:
        return await self._update({"callback_query": self._callback_payload(data, message)})

    async def _update(self, update: dict[str, Any]) -> list[SentMessage]:
        self.server.add_user(self.user_id, self.user["first_name"])
        before = len(self.server.messages_to(self.user_id))
        update_id = self.server.push_update(update)
        await self.server.wait_confirmed(update_id)
        return self.server.messages_to(self.user_id)[before:]

    def _find_button(
        self, label: str, message: dict[str, Any] | None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        candidates = [message] if message else self.server.current_messages(self.user_id)
        seen: list[str] = []
        for candidate in candidates:
            for row in (candidate.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button.get("text") == label:
                        return candidate, button
                    seen.append(button.get("text", ""))
        raise AssertionError(f"no inline button {label!r}; the buttons shown are {seen}")
