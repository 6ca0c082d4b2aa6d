"""aiogram reads each answer of Telegram with `Response[the method's result]`, a class that
pydantic caches only weakly: the bot's session holds each one it builds
(bot/middlewares/response_models.py), so a garbage collection does not make the next call
build it again."""

import textwrap

from tests.processes import python_output

_TWO_CALLS = textwrap.dedent(
    """
    import asyncio, gc, weakref
    import bot  # as in the bot: aiogram's models are built when first used
    from aiogram.methods import AnswerCallbackQuery, Response
    from bot.app import create_bot
    from tests.harness import make_settings

    async def survives(session):
        built = []

        async def read_answer(bot, method, timeout=None):  # as AiohttpSession reads one
            answer = Response[method.__returning__].model_validate({"ok": True, "result": True})
            built.append(weakref.ref(type(answer)))
            return answer

        call = session.middleware.wrap_middlewares(read_answer)
        for _ in range(2):
            await call(None, AnswerCallbackQuery(callback_query_id="1"))
            gc.collect()
        return built[0]() is not None and built[0]() is built[1]()

    async def main():
        kenesh = create_bot(make_settings("sqlite+aiosqlite://", "http://127.0.0.1:9"))
        bare = type(kenesh.session)()  # aiogram's session with no middleware
        print(await survives(bare), await survives(kenesh.session))
        await kenesh.session.close()
        await bare.close()

    asyncio.run(main())
    """
)


def test_an_answer_class_outlives_a_garbage_collection() -> None:
    bare, kenesh = python_output(_TWO_CALLS).split()
    # Without it the class is freed and built again: the trap the middleware is for.
    assert bare == "False"
    assert kenesh == "True"
