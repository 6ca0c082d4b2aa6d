"""aiogram's models are built on first use (bot/aiogram_models.py): every one of them must
still build, validate and dump, in a fresh interpreter where nothing was built before."""

import textwrap

from tests.processes import python_output

_EVERY_MODEL = textwrap.dedent(
    """
    import asyncio
    import bot
    import aiogram.methods, aiogram.types
    from pydantic import BaseModel

    async def first_uses():  # inside the event loop, as in the bot (pydantic looks 5 frames up)
        unbuilt = [
            cls for module in (aiogram.types, aiogram.methods) for cls in vars(module).values()
            if isinstance(cls, type) and issubclass(cls, BaseModel)
            and not cls.__pydantic_complete__
        ]
        print("unbuilt at import:", len(unbuilt))
        for cls in unbuilt:
            cls.__pydantic_validator__.validate_python  # a first use builds the model
            cls.__pydantic_serializer__.to_python
            assert cls.__pydantic_complete__, cls
        # getUpdates' answer: a generic made at run time, holding models not built yet
        from aiogram.methods.base import Response
        answer = Response[list[aiogram.types.Update]].model_validate({"ok": True, "result": [{
            "update_id": 1,
            "callback_query": {
                "id": "7", "from": {"id": 5, "is_bot": False, "first_name": "Айгүл"},
                "chat_instance": "c", "data": "home:open",
                "message": {
                    "message_id": 3, "date": 0, "chat": {"id": 5, "type": "private"},
                    "text": "Кош келиңиз", "reply_markup": {"inline_keyboard": [[
                        {"text": "Сунуштар", "callback_data": "home:proposals"}]]},
                },
            },
        }]})
        markup = answer.result[0].callback_query.message.reply_markup
        method = aiogram.methods.EditMessageReplyMarkup(
            chat_id=5, message_id=3, reply_markup=markup
        )
        print(method.model_dump(exclude_none=True)["reply_markup"])

    asyncio.run(first_uses())
    """
)


def test_every_aiogram_model_builds_on_first_use() -> None:
    unbuilt, dumped = python_output(_EVERY_MODEL).splitlines()
    # Most models were left for later (else the memory is spent at import again).
    assert int(unbuilt.split(":")[1]) > 300
    assert (
        dumped == "{'inline_keyboard': [[{'text': 'Сунуштар', 'callback_data': 'home:proposals'}]]}"
    )
