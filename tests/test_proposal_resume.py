"""People half-way through the proposal form go on after the upgrade that put the form on the
wizard engine (handlers/wizard.py): a conversation saved by the previous version (the answer
handlers of handlers/participant/proposals_form.py at main), whose state strings (`Propose:…`)
and flat data keys must mean the same step, finishes and the proposal row holds its answers."""

from typing import Any

from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select

from db.models import Proposal
from tests.db_fixtures import session_on
from tests.e2e import person, texts
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import RunningBot
from tests.people import Participant, add_participants

APRICOTS = (
    "Өрүк бактарын суу менен камсыз кылуу үчүн Баткен облусунда тамчылатып сугаруу "
    "системасын куруу жана дыйкандарга жеңилдетилген насыя берүү"
)
CANALS = "Баткен облусундагы эски каналдарды тазалоо жана бетондоо боюнча сунуш"


async def saved_by_the_previous_version(
    running_bot: RunningBot, user_id: int, state: str, data: dict[str, Any]
) -> None:
    """Writes a conversation as the previous version did (`state.set_state(Propose.x)`, then
    `state.update_data(...)`), through the FSM storage: the old code is not here to write it."""
    assert running_bot.app is not None
    key = StorageKey(bot_id=running_bot.app.bot.id, chat_id=user_id, user_id=user_id)
    await running_bot.app.dp.fsm.storage.set_state(key, state)
    await running_bot.app.dp.fsm.storage.set_data(key, data)


async def proposal_of(database_url: str, text: str) -> Proposal:
    async with session_on(database_url) as session:
        proposal = await session.scalar(select(Proposal).where(Proposal.text == text))
    assert proposal is not None
    return proposal


async def test_a_proposal_half_written_by_the_previous_version_is_finished(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(3501, "ky", "batken", full_name="Гүлнара Осмонова"),
        Participant(3502, "ky", "osh", full_name="Бакыт Жумабаев"),
    )
    # Topic and region chosen, the text not yet typed.
    await saved_by_the_previous_version(
        running_bot, 3501, "Propose:text", {"topic": "water", "region": "batken"}
    )
    gulnara = person(telegram, 3501, "ky", "Гүлнара")
    reply = await gulnara.send(APRICOTS)
    assert "Сүрөт же документ" in texts(reply)
    await gulnara.press("Өткөрүп жиберүү")
    reply = await gulnara.press("Атымды атабай")
    assert APRICOTS in texts(reply) and "Жөнөтөлүбү?" in texts(reply)
    reply = await gulnara.press("Жөнөтүү")
    assert "сунушу жөнөтүлдү жана модерацияны күтүүдө" in texts(reply)
    proposal = await proposal_of(database_url, APRICOTS)
    assert (proposal.topic_code, proposal.region_code) == ("water", "batken")
    assert proposal.is_anonymous and proposal.attachment_kind is None

    # At the preview, "Edit the text" pressed: the new text goes back to the preview.
    await saved_by_the_previous_version(
        running_bot,
        3502,
        "Propose:text",
        {
            "topic": "water",
            "region": "osh",
            "text": APRICOTS,
            "attachment_kind": "photo",
            "attachment": "photo-file-id",
            "anonymous": False,
        },
    )
    bakyt = person(telegram, 3502, "ky", "Бакыт")
    reply = await bakyt.send(CANALS)
    assert "Текст жаңыртылды." in texts(reply) and "Жөнөтөлүбү?" in texts(reply)
    reply = await bakyt.press("Жөнөтүү")
    assert "сунушу жөнөтүлдү жана модерацияны күтүүдө" in texts(reply)
    proposal = await proposal_of(database_url, CANALS)
    assert (proposal.topic_code, proposal.region_code) == ("water", "osh")
    assert not proposal.is_anonymous
    assert (proposal.attachment_kind, proposal.attachment_file_id) == ("photo", "photo-file-id")
