"""The AI providers behind the model types, played offline from ``fixtures/providers.json``.

The real server calls the provider to run a type's action (``fetch_available_models``) and to
check a model's health. The mock never sends a request anywhere: what each provider answers is
written in the fixtures. Two lists of ``api_key`` values let the web UI's error handling be
developed: a key in ``rejected_api_keys`` is refused by the provider, a key in
``failing_api_keys`` makes the provider call fail (docs/contract.md §9b).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class KeyRejected(Exception):
    """The provider refused the key (a 401 from the provider)."""


class ProviderFailed(Exception):
    """The provider call failed for any other reason."""


class ArgumentsRejected(TypeError):
    """The body does not fit the action's keyword arguments; the message is Python's own wording."""


@dataclass(frozen=True)
class Action:
    """One action a model type declares: its keyword arguments and what the provider lists."""

    name: str
    arguments: tuple[str, ...]
    models: tuple[dict, ...]

    def check_arguments(self, given: Mapping[str, Any]) -> None:
        """Raise :class:`ArgumentsRejected` worded as Python words a call with ``**given``."""
        unexpected = [key for key in given if key not in self.arguments]
        if unexpected:
            raise ArgumentsRejected(f"{self.name}() got an unexpected keyword argument '{unexpected[0]}'")
        missing = [f"'{argument}'" for argument in self.arguments if argument not in given]
        if missing:
            plural = "s" if len(missing) > 1 else ""
            listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + (
                "," if len(missing) > 2 else "") + f" and {missing[-1]}"
            raise ArgumentsRejected(
                f"{self.name}() missing {len(missing)} required positional argument{plural}: {listed}"
            )


class Providers:
    """What the providers of ``fixtures/providers.json`` answer; nothing leaves the machine."""

    def __init__(self, fixture: Mapping[str, Any]) -> None:
        self._rejected = frozenset(fixture.get("rejected_api_keys", ()))
        self._failing = frozenset(fixture.get("failing_api_keys", ()))
        errors = fixture.get("provider_errors", {})
        self._rejected_error = errors.get("rejected", "Error code: 401 - invalid API key")
        self._failing_error = errors.get("failing", "Connection error.")
        self._types: dict[str, dict] = copy.deepcopy(dict(fixture.get("types", {})))
        self._health = {entry["model_id"]: {"status": entry["status"], "message": entry["message"]}
                        for entry in fixture.get("model_health", ())}

    def actions(self, dtype: str) -> dict[str, Action]:
        declared = self._types.get(dtype, {}).get("actions") or {}
        return {
            name: Action(name, tuple(spec.get("arguments", ())), tuple(spec.get("models", ())))
            for name, spec in declared.items()
        }

    def run(self, action: Action, arguments: Mapping[str, Any]) -> dict:
        """The action's answer: the provider's models ordered by ``id``, as the real server sorts them."""
        action.check_arguments(arguments)
        self._call(arguments.get("api_key"), arguments.values())
        return {"models": sorted(copy.deepcopy(list(action.models)), key=lambda model: str(model.get("id")))}

    def health(self, model: Mapping[str, Any]) -> dict:
        """The model's provider check: a fixture's verdict for this model, else by its key."""
        if model["id"] in self._health:
            return dict(self._health[model["id"]])
        messages = self._types.get(model["dtype"], {})
        try:
            self._call(model["configuration"].get("api_key"), ())
        except (KeyRejected, ProviderFailed) as exc:
            prefix = messages.get("unhealthy", f"Failed to healthcheck model '{model['name']}': ")
            return {"status": "unhealthy", "message": prefix + str(exc)}
        return {"status": "healthy", "message": messages.get("healthy", f"Model '{model['name']}' is healthy")}

    def _call(self, api_key: Any, values: Sequence[Any] | Any) -> None:
        """The provider call, played: a rejected key, a failing key, or an argument no client could send."""
        if isinstance(api_key, str) and api_key in self._rejected:
            raise KeyRejected(self._rejected_error)
        if isinstance(api_key, str) and api_key in self._failing:
            raise ProviderFailed(self._failing_error)
        if any(not isinstance(value, str) for value in values):
            raise ProviderFailed("arguments must be strings")
