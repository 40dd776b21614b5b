"""Creation (contract-notes §6, §9): configurations are validated; secrets never come back in full."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from conformance.api import MODELS
from conformance.kit import Kit
from conformance.model_types import invalid_configurations
from conformance.registry import NotRun, rule
from conformance.strategies import field_text, name_suffixes
from conformance.violations import (
    InvalidConfigurationAccepted,
    PhantomModelCreated,
    SecretExposed,
    UnknownDtypeAccepted,
)


def _absent(kit: Kit, name: str, after: str) -> None:
    found = kit.api.get(name)
    if found.status != 404:
        raise PhantomModelCreated(f"after {after}, GET {name!r} answered {found.status} instead of 404")


@rule()
def configuration_validated(kit: Kit) -> None:
    """A configuration violating the type's config_schema is 422 and creates nothing; an unknown dtype is 400 (contract-notes §6)."""
    recipe = kit.require_recipe()
    broken = invalid_configurations(recipe)
    choices = [("unknown dtype", None)] + [(why, config) for why, config in broken]

    def example(choice: tuple[str, dict[str, Any] | None], suffix: str) -> None:
        why, configuration = choice
        name = kit.name(suffix)
        if configuration is None:
            kit.api.create(name, dtype=kit.name("no-such-type")).expect(
                400, UnknownDtypeAccepted, "the dtype names no model type"
            )
        else:
            kit.api.create(name, configuration=configuration).expect(
                422, InvalidConfigurationAccepted, f"configuration with {why}"
            )
        _absent(kit, name, f"a rejected create ({why})")

    kit.for_all(example, choice=st.sampled_from(choices), suffix=name_suffixes())
    if not broken:
        kit.notes.append(f"the config_schema of {recipe.dtype!r} rejects nothing the kit can build: only the unknown dtype was checked")


def _exposed(kit: Kit, body_text: str, where: str) -> None:
    for field, secret in kit.require_recipe().secrets.items():
        escaped = json.dumps(secret)[1:-1]
        if secret in body_text or escaped in body_text:
            raise SecretExposed(f"{where} returns the secret {field!r} in full")


@rule()
def secrets(kit: Kit) -> None:
    """A secret sent at creation never comes back in full in create, get, list or patch responses (contract-notes §9)."""
    recipe = kit.require_recipe()
    if not recipe.secrets:
        raise NotRun(f"the model type {recipe.dtype!r} has no secret property (writeOnly or named like api_key)")

    def example(suffix: str, summary: str) -> None:
        name = kit.name(suffix)
        created = kit.api.create(name)
        created.expect(201, why="a valid create")
        _exposed(kit, created.exchange.text, "the create response")
        _exposed(kit, kit.api.get(name).exchange.text, "GET of the model")
        listed = kit.api.send("GET", MODELS)
        listed.expect(200, why="listing models")
        _exposed(kit, listed.exchange.text, "the list of models")
        patched = kit.api.patch(name, {"summary": summary})
        patched.expect(200, why="a valid PATCH")
        _exposed(kit, patched.exchange.text, "the PATCH response")

    kit.for_all(example, suffix=name_suffixes(), summary=field_text())
