"""The contracts' operationIds are plain names (``updateModel``); this finds their handlers.

Python paths as operationIds leaked into Swagger deep links and generated clients. Here an
operationId names a function, in snake case (``updateModel`` → ``update_model``), in one of the
handler modules of its API (:data:`HANDLER_MODULES` for the Models API); exactly one of them
must define it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from types import ModuleType

from connexion.resolver import Resolver
from inflection import underscore

from handlers import model_types, models

HANDLER_MODULES: tuple[ModuleType, ...] = (models, model_types)


def handler_in(modules: Sequence[ModuleType], operation_id: str) -> Callable:
    """The one function of ``modules`` named by ``operation_id``; a ``ValueError`` says what is wrong."""
    function_name = underscore(operation_id)
    found = [getattr(module, function_name) for module in modules if hasattr(module, function_name)]
    if len(found) != 1:
        names = ", ".join(module.__name__ for module in modules)
        raise ValueError(
            f"operationId {operation_id!r} must name exactly one function {function_name!r} "
            f"in {names}; found {len(found)}"
        )
    return found[0]


handler_for = partial(handler_in, HANDLER_MODULES)


def plain_name_resolver(modules: Sequence[ModuleType] = HANDLER_MODULES) -> Resolver:
    return Resolver(function_resolver=partial(handler_in, tuple(modules)))
