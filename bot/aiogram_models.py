"""aiogram's pydantic models built when first used, not all at import.

`aiogram.types` declares `defer_build` on its ~300 models and then, at the end of its
`__init__`, rebuilds every one of them to resolve their forward references: each model gets
its own validator and serializer, with a copy of every model nested in it. That costs about
85 MiB of memory and several seconds of start-up (measured: `import aiogram` 165 -> 80 MiB
resident, 21 -> 5 s on a busy machine), while a bot validates a handful of them (`Update`,
the keyboards it builds, the methods it calls).

`build_on_first_use()` lets that loop pass without building, and puts the names it would
resolve (the models that aiogram's modules import only for type checkers) into those modules;
pydantic then builds each model, or a method or `Response[...]` that holds it, the first
time it is validated or dumped, resolving names in the model's module as it always does.
`tests/test_aiogram_models.py` builds every model this way."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel

_AIOGRAM_MODULES = ("aiogram.types", "aiogram.methods")


def build_on_first_use() -> None:
    """Imports aiogram with its models left unbuilt. Does nothing if aiogram.types was
    imported already (its models are then built)."""
    if "aiogram.types" in sys.modules:
        return
    names: dict[str, Any] = {}
    with _rebuild_loop_kept(names):
        import aiogram.methods
        import aiogram.types  # noqa: F401
    for name, module in list(sys.modules.items()):
        if name.startswith(_AIOGRAM_MODULES) and module is not None:
            for known, value in names.items():
                module.__dict__.setdefault(known, value)


@contextmanager
def _rebuild_loop_kept(names: dict[str, Any]) -> Iterator[None]:
    """While aiogram.types runs its loop, `model_rebuild(_types_namespace=...)` records
    the names instead of building the model."""
    rebuild: Callable[..., bool | None] = BaseModel.model_rebuild.__func__  # type: ignore[attr-defined]

    def keep(cls: type[BaseModel], **options: Any) -> bool | None:
        namespace = options.get("_types_namespace")
        if namespace is None or options.get("force") or not _unbuilt_aiogram_model(cls):
            options["_parent_namespace_depth"] = options.get("_parent_namespace_depth", 2) + 1
            return rebuild(cls, **options)
        names.update(namespace)
        return None

    BaseModel.model_rebuild = classmethod(keep)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        BaseModel.model_rebuild = classmethod(rebuild)  # type: ignore[method-assign,assignment]


def _unbuilt_aiogram_model(value: Any) -> bool:
    return (
        isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__.startswith(_AIOGRAM_MODULES)
        and not value.__pydantic_complete__
    )
