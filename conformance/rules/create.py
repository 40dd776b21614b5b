"""Creation (docs/contract.md §6, §9): configurations are validated; secrets never come back in full."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from conformance.api import MODELS, expect_not_found
from conformance.context import NotRun, RuleContext
from conformance.model_types import invalid_configurations
from conformance.registry import rule
from conformance.strategies import field_text, name_suffixes
from conformance.violations import (
    InvalidConfigurationAccepted,
    PhantomModelCreated,
    SecretExposed,
    UnknownDtypeAccepted,
)


def _absent(ctx: RuleContext, name: str, after: str) -> None:
    expect_not_found(ctx.api.get(name), PhantomModelCreated, f"after {after}")


@rule()
def configuration_validated(ctx: RuleContext) -> None:
    """A configuration violating the type's config_schema is 422 and creates nothing; an unknown dtype is 400 (docs/contract.md §6.2, §6.3)."""
    recipe = ctx.require_recipe()
    broken = invalid_configurations(recipe)
    choices = [("unknown dtype", None)] + [(why, config) for why, config in broken]

    def example(choice: tuple[str, dict[str, Any] | None], suffix: str) -> None:
        why, configuration = choice
        name = ctx.name(suffix)
        if configuration is None:
            ctx.api.create(name, dtype=ctx.name("no-such-type")).expect(
                400, UnknownDtypeAccepted, "the dtype names no model type"
            )
        else:
            ctx.api.create(name, configuration=configuration).expect(
                422, InvalidConfigurationAccepted, f"configuration with {why}"
            )
        _absent(ctx, name, f"a rejected create ({why})")

    ctx.for_all(example, choice=st.sampled_from(choices), suffix=name_suffixes())
    if not broken:
        ctx.note(f"the config_schema of {recipe.dtype!r} rejects nothing the kit can build: only the unknown dtype was checked")


def _exposed(ctx: RuleContext, body_text: str, where: str) -> None:
    for field, secret in ctx.require_recipe().secrets.items():
        escaped = json.dumps(secret)[1:-1]
        if secret in body_text or escaped in body_text:
            raise SecretExposed(
                f"{where} returns the secret {field!r} in full",
                expected=f"{field} masked or omitted", actual=f"{field} in full",
            )


@rule()
def secrets(ctx: RuleContext) -> None:
    """A secret sent at creation never comes back in full in create, get, list or patch responses (docs/contract.md §9.2)."""
    recipe = ctx.require_recipe()
    if not recipe.secrets:
        raise NotRun(f"the model type {recipe.dtype!r} has no secret property (writeOnly or named like api_key)")

    def example(suffix: str, summary: str) -> None:
        name = ctx.name(suffix)
        created = ctx.api.create(name)
        created.expect(201, why="a valid create")
        _exposed(ctx, created.exchange.text, "the create response")
        _exposed(ctx, ctx.api.get(name).exchange.text, "GET of the model")
        listed = ctx.api.send("GET", MODELS)
        listed.expect(200, why="listing models")
        _exposed(ctx, listed.exchange.text, "the list of models")
        patched = ctx.api.patch(name, {"summary": summary})
        patched.expect(200, why="a valid PATCH")
        _exposed(ctx, patched.exchange.text, "the PATCH response")

    ctx.for_all(example, suffix=name_suffixes(), summary=field_text())
