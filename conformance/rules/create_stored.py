"""Creation keeps what it was given (docs/contract.md §6, §9).

The PATCH rules start from a created model; nothing else checks the create itself. Here the
model read back after `POST /models/` must hold exactly what was sent: name, dtype, summary and
tags (or their documented defaults when left out), and the configuration with its secrets
hidden (omitted or masked) but nothing else changed. The 201 answer must equal the GET that
follows, and the tenant's list must show the model with the same fields.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import strategies as st

from conformance.compare import changed_fields
from conformance.context import RuleContext
from conformance.field_bounds import defaults, fields
from conformance.registry import rule
from conformance.routes import MODELS
from conformance.stored_configuration import configuration_changes
from conformance.strategies import field_text, name_suffixes
from conformance.violations import (
    CreateResponseDiffersFromGet,
    ListDiffersFromGet,
    SentFieldNotStored,
)

POST_MODELS = f"POST {MODELS}"


def _list_fields(ctx: RuleContext) -> list[str]:
    return list(fields(ctx.contract.document, "ModelListItem"))


def _stored_differences(ctx: RuleContext, sent: dict[str, Any], stored: dict[str, Any]) -> list[str]:
    expected = {**defaults(ctx.contract.document, "ModelCreate"), **sent}
    recipe = ctx.require_recipe()
    plain = [field for field in fields(ctx.contract.document, "ModelCreate") if field != "configuration"]
    differences = changed_fields(expected, stored, [field for field in plain if field in expected])
    differences += configuration_changes(
        sent["configuration"], stored.get("configuration"), recipe.config_schema, ctx.contract.secrets
    )
    return differences


@rule()
def create_stored(ctx: RuleContext) -> None:
    """A create stores exactly what was sent (name, dtype, summary, tags or their defaults, the configuration with only its secrets hidden); the 201 answer equals the next GET and the list shows the same fields (docs/contract.md §6.6, §6.7, §9.2)."""
    ctx.require_recipe()
    list_fields = _list_fields(ctx)
    optional = st.fixed_dictionaries({}, optional={"summary": field_text(), "tags": field_text()})

    numbers = itertools.count()

    def example(suffix: str, fields: dict[str, Any]) -> None:
        # numbered: a target that keeps deleted models listed must not confuse two examples
        name = ctx.name(f"{next(numbers) % 10_000:04d}-{suffix}")
        body = ctx.api.create_body(name, **fields)
        created = ctx.api.post(body)
        answered = created.expect(201, why="a valid create")
        read = ctx.api.get(name)
        stored = read.expect(200, why="the model was just created")
        evidence = [created.exchange, read.exchange]
        differences = _stored_differences(ctx, body, stored)
        if differences:
            raise SentFieldNotStored(
                "the model read back differs from the create sent: " + "; ".join(differences),
                operation=POST_MODELS, expected="what was sent", actual="; ".join(differences)[:300],
                evidence=evidence,
            )
        shown = changed_fields(stored, answered, sorted(set(stored) | set(answered)))
        if shown:
            raise CreateResponseDiffersFromGet(
                "the 201 answer differs from the following GET (GET -> answer): " + "; ".join(shown),
                operation=POST_MODELS, expected="the model as GET returns it", actual="; ".join(shown)[:300],
                evidence=evidence,
            )
        listing = ctx.api.send("GET", MODELS)
        items = listing.expect(200, why="listing the tenant's models")
        listed = next((item for item in items if isinstance(item, dict) and item.get("name") == name), None)
        in_list = ["not listed"] if listed is None else changed_fields(stored, listed, list_fields)
        if in_list:
            raise ListDiffersFromGet(
                f"the list shows the created model {name!r} otherwise than GET (GET -> list): " + "; ".join(in_list),
                operation="GET /models/", expected="the fields GET returns", actual="; ".join(in_list)[:300],
                evidence=[read.exchange, listing.exchange],
            )

    ctx.for_all(
        example,
        explicit=[
            {"suffix": "all", "fields": {"summary": "ck summary", "tags": "ck,tags"}},
            {"suffix": "defaults", "fields": {}},
            {"suffix": "summary-only", "fields": {"summary": "ck summary"}},
            {"suffix": "tags-only", "fields": {"tags": "ck,tags"}},
        ],
        suffix=name_suffixes(min_size=1),
        fields=optional,
    )
