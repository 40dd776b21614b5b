"""A model as stored and as shown. Both shapes come from the contract's schemas, so a field
added there (and to the fixtures) is stored, updated and shown without a change here.

* created from the fields of ``ModelCreate`` (their defaults when absent), plus what the server
  sets: ``id``, ``created_at``, ``updated_at`` and no connected endpoints;
* updated through the fields of ``ModelUpdate``;
* shown with the fields of ``ModelDetail``, in a list with those of ``ModelListItem``.
"""

from __future__ import annotations

import uuid
from typing import Any

from handlers import contract

CREATE_FIELDS = contract.fields("ModelCreate")
CREATE_DEFAULTS = contract.defaults("ModelCreate")
UPDATABLE_FIELDS = contract.fields("ModelUpdate")
DETAIL_FIELDS = contract.fields("ModelDetail")
LIST_ITEM_FIELDS = contract.fields("ModelListItem")


def new_model(tenant: str, body: dict[str, Any], stamp: str) -> dict[str, Any]:
    """The stored document of a model created in ``tenant`` from a valid create ``body`` at ``stamp``."""
    sent = {field: body[field] if field in body else CREATE_DEFAULTS[field]
            for field in CREATE_FIELDS if field in body or field in CREATE_DEFAULTS}
    return {"tenant": tenant, "id": str(uuid.uuid4()), **sent,
            "created_at": stamp, "updated_at": stamp, "connected_endpoints": []}


def updates_sent(body: dict[str, Any]) -> dict[str, Any]:
    """The updatable fields a PATCH body sets: those present and not null (docs/contract.md §7)."""
    return {field: body[field] for field in UPDATABLE_FIELDS if body.get(field) is not None}


def shown_fields(document: dict[str, Any], *, list_item: bool = False) -> dict[str, Any]:
    """The fields of a stored model the API shows (no tenant), in the contract's order."""
    wanted = LIST_ITEM_FIELDS if list_item else DETAIL_FIELDS
    return {field: document[field] for field in wanted if field in document}
