"""The part of the keyboard walk's world that people build through the bot, and the typed steps
that open the keyboards of drafts, polls and the survey after an event (tests/test_no_dead_
buttons_e2e.py walks them): an organizer publishes a draft with clauses by /newdraft, someone
comments on it, the organizer starts a poll by /poll for an event's registrants, and the
scheduler's sweep asks the registrants of an event that has ended (as tests/test_surveys_e2e.py
runs it)."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.keyboards.drafts import DraftOrgCb
from bot.keyboards.polls import PollCb
from bot.poll_sweeps import sweep_event_surveys
from db.models import utcnow
from tests.harness import RunningBot
from tests.keyboard_walk import Walker

TZ = ZoneInfo("Asia/Bishkek")
# Who builds this part of the world: an organizer and a participant who are not walked.
WORLD_ORGANIZER = 16051
COMMENTER = 16052
DRAFT_TEXT = (
    "1. Жалпы жоболор\nБул концепция суу ресурстарын башкаруунун негизин түзөт.\n"
    "Концепция бардык аймактарга тиешелүү.",
    "2. Ишке ашыруу\n2.1. Мониторинг\nМониторинг жыл сайын жүргүзүлөт.\n"
    "Жыйынтыктары коомчулукка жарыяланат.",
)


def last_day(days: int = 30) -> str:
    return (utcnow().astimezone(TZ).date() + timedelta(days=days)).strftime("%d.%m.%Y")


async def press_exact(w: Walker, data: str) -> None:
    """Presses the shown button with exactly this data (or names it among the absent)."""
    for message in w.telegram.current_messages(w.person.user_id):
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button.get("callback_data") == data:
                    await w.press(data, message)
                    return
    w.absent.append(data)


async def write_draft(w: Walker, title: str, agency_id: int | None = None) -> None:
    """/newdraft up to its outline: titles, the agency (this one, or the first offered: the walk
    retires agencies), the last day, no hearing, pasted text."""
    await w.send("/newdraft")
    await w.send(title)
    await w.press_first("dfo:skip")  # no Russian title
    if agency_id is None:
        await w.press_first("dfo:agency")
    else:
        await press_exact(w, DraftOrgCb(action="agency", value=str(agency_id)).pack())
    await w.send(last_day())
    await press_exact(w, DraftOrgCb(action="event").pack())  # not tied to a hearing
    await paste_draft(w)


async def paste_draft(w: Walker) -> None:
    for part in DRAFT_TEXT:
        await w.send(part)
    await w.press_first("dfo:pasted")


async def comment_on_draft(w: Walker, text: str) -> None:
    """Opens the first draft in /drafts and comments on the first clause of its first chapter."""
    await w.send("/drafts")
    await w.press_first("dft:open")
    await w.press_first("dft:chapter")
    await w.press_first("dft:comment")
    await w.send(text)
    await w.press_first("dft:name")


async def compose_poll(w: Walker, event_id: int, question: str) -> None:
    """/poll: an own question in Kyrgyz only, one answer, with names, for an event's
    registrants, sent."""
    await w.send("/poll")
    await press_exact(w, PollCb(action="kind", value="question").pack())
    await w.send(question)
    await w.press_first("poll:skip")  # no Russian question
    await w.send("Ооба\nЖок\nБилбейм")
    await press_exact(w, PollCb(action="set", value="single").pack())
    await press_exact(w, PollCb(action="set", value="named").pack())
    await press_exact(w, PollCb(action="audience", value="event").pack())
    await press_exact(w, PollCb(action="pick", value=f"event.{event_id}").pack())
    await w.press_first("poll:send")


async def organizer_steps(w: Walker, world: dict[str, int]) -> None:
    """An organizer's drafts and polls: one draft discarded, one published with its other
    language; the comments decided on; a poll composed and sent; the polls opened."""
    await write_draft(w, "Таштанды долбоор")
    await w.press_first("dfo:discard")
    await write_draft(w, "Суу саясаты")
    await w.press_first("dfo:translate")
    await paste_draft(w)
    await w.press_first("dfo:confirm")
    await w.send("/managedrafts")
    await press_exact(w, DraftOrgCb(action="manage", id=world["discussed"]).pack())
    await w.press_first("dfo:review")
    await w.press_first("dfo:decide")
    await w.send("Пикир концепцияга кошулат.")
    await compose_poll(w, world["coming"], "Суу маселеси сиз үчүн маанилүүбү?")
    await w.send("/polls")
    await w.press_first("poll:open")


async def build_with_the_bot(
    bot: RunningBot, world: dict[str, int], organizer: Walker, commenter: Walker
) -> int:
    """The world's draft with a comment to support, its poll for the coming event's
    registrants, and the survey of the event that ended, made by people through the bot;
    returns the draft's id."""
    assert bot.app is not None
    await write_draft(organizer, "Суу ресурстарынын концепциясы", world["agency"])
    await organizer.press_first("dfo:confirm")
    link = re.search(r"start=dr_(\d+)", " ".join(m.text or "" for m in organizer.last_reply))
    assert link, [m.text for m in organizer.last_reply]
    await comment_on_draft(commenter, "Айылдарда суу түтүктөрү эскирген, аларды алмаштыруу керек.")
    await compose_poll(organizer, world["coming"], "Сугат суусу жетиштүүбү?")
    await sweep_event_surveys(bot.app)
    return int(link.group(1))
