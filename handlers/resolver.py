"""The contract's operationIds are plain names (``updateModel``); this finds their handlers.

Python paths as operationIds leaked into Swagger deep links and generated clients. Here an
operationId names a function in one of :data:`HANDLER_MODULES`, in snake case
(``updateModel`` → ``update_model``); exactly one module must define it.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from connexion.resolver import Resolver
from inflection import underscore

from handlers import model_types, models

HANDLER_MODULES: tuple[ModuleType, ...] = (models, model_types)


def handler_for(operation_id: str) -> Callable:
    """The one handler function named by ``operation_id``; a ``ValueError`` says what is wrong."""
    function_name = underscore(operation_id)
    found = [getattr(module, function_name) for module in HANDLER_MODULES if hasattr(module, function_name)]
    if len(found) != 1:
        modules = ", ".join(module.__name__ for module in HANDLER_MODULES)
        raise ValueError(
            f"operationId {operation_id!r} must name exactly one function {function_name!r} "
            f"in {modules}; found {len(found)}"
        )
    return found[0]


def plain_name_resolver() -> Resolver:
    return Resolver(function_resolver=handler_for)
