"""What a write did to the set of models, read once from the request and its answer (§6–§8).

`POST /models/` answered 201 created a model (under the name sent and the name answered);
`PATCH /models/{name}` answered 200 with a string `name` renamed it; `DELETE` answered 200
removed it. The tracker (through the kit's API and the Schemathesis hooks) and the curl
reproductions all read writes through :func:`effects_of`, so they agree on what exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conformance.client import parse_json
from conformance.routes import MODEL, MODELS


@dataclass(frozen=True)
class Effect:
    kind: str  # "created", "renamed" or "deleted"
    name: str  # the model's name after the write; for "deleted" the name it had
    old: str | None = None  # the name before a rename


def effects_of(
    method: str, template: str, status: int | None, path_name: str | None, sent: Any, answered: Any
) -> list[Effect]:
    """The effects of one exchange; `sent` and `answered` are parsed JSON bodies (or None)."""
    method = method.upper()
    if method == "POST" and template == MODELS and status == 201:
        names = [body.get("name") for body in (sent, answered) if isinstance(body, dict)]
        return [Effect("created", name) for name in dict.fromkeys(names) if isinstance(name, str)]
    if path_name is None or template != MODEL or status != 200:
        return []
    if method == "PATCH" and isinstance(sent, dict) and isinstance(sent.get("name"), str):
        return [Effect("renamed", sent["name"], old=path_name)]
    if method == "DELETE":
        return [Effect("deleted", path_name)]
    return []


def parsed(text: str | bytes | None) -> Any:
    """A body as JSON, or None when it is absent or not JSON (the rules judge that, not tracking)."""
    try:
        return parse_json(text) if text else None
    except ValueError:
        return None
