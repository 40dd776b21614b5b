"""The routes the product's web UI calls beyond the documentation page (docs/contract.md §9b).

Only what the contract fixes is judged: the schema route is the type's `config_schema`; unknown
types and actions are 404; an action call changes no stored model; the health route answers
without an admin key and only inside the model's tenant. The kit never runs an action with
arguments (it names unknown actions, or sends none), so no deployment calls a provider for it.
"""

from __future__ import annotations

from typing import Any

from conformance.api import ModelsApi
from conformance.context import NotRun, RuleContext
from conformance.registry import rule
from conformance.routes import KNOWN_ACTION, MODEL_HEALTH, TYPE, TYPE_ACTION, TYPE_SCHEMA, TYPES
from conformance.violations import (
    ActionChangedModels,
    HealthNotPublic,
    TenantLeak,
    TypeSchemaMismatch,
    UnknownTypeOrActionAccepted,
)


def _listed_types(api: ModelsApi) -> list[str]:
    listed = api.send("GET", TYPES).expect(200, why="listing model types")
    items = listed if isinstance(listed, list) else []
    return [item["name"] for item in items if isinstance(item, dict) and isinstance(item.get("name"), str)]


@rule(writes=False)
def type_schema(ctx: RuleContext) -> None:
    """GET /models/types/{name}/schema is the config_schema of GET /models/types/{name} for every listed type, and an unknown type is 404 (docs/contract.md §9b.1)."""
    api = ctx.api

    def steps() -> None:
        names = _listed_types(api)
        if not names:
            raise NotRun("the target lists no model types")
        for name in names:
            listed = api.send("GET", TYPE, name=name).expect(200, why=f"{name!r} is a listed type")
            reply = api.send("GET", TYPE_SCHEMA, name=name)
            schema = reply.expect(200, why=f"{name!r} is a listed type")
            expected = listed.get("config_schema") if isinstance(listed, dict) else None
            if schema != expected:
                raise TypeSchemaMismatch(
                    f"GET /models/types/{name}/schema is not the config_schema GET /models/types/{name} carries",
                    expected=repr(expected)[:300], actual=repr(schema)[:300], evidence=[reply.exchange],
                )
        unknown = ctx.name("no-such-type")
        api.send("GET", TYPE_SCHEMA, name=unknown).expect(
            404, UnknownTypeOrActionAccepted, f"{unknown!r} is not a model type")

    ctx.scenario(steps)


def _action(api: ModelsApi, dtype: str, action_name: str) -> Any:
    """An action call without arguments: no provider can be reached with it."""
    return api.send("POST", TYPE_ACTION, params={"dtype": dtype, "action_name": action_name}, body={})


@rule()
def type_actions(ctx: RuleContext) -> None:
    """An unknown model type or action is 404, an action without its arguments is 404 or 422, and no action call changes a stored model (docs/contract.md §9b.2)."""
    ctx.require_recipe()
    api = ctx.api

    def steps() -> None:
        model = api.create_ok(ctx.name("action"))
        before = api.get_ok(model["name"])
        unknown_type, unknown_action = ctx.name("no-such-type"), ctx.name("no-such-action")
        _action(api, unknown_type, KNOWN_ACTION).expect(
            404, UnknownTypeOrActionAccepted, f"{unknown_type!r} is not a model type")
        for dtype in _listed_types(api):
            _action(api, dtype, unknown_action).expect(
                404, UnknownTypeOrActionAccepted, f"{unknown_action!r} is not an action of {dtype!r}")
            reply = _action(api, dtype, KNOWN_ACTION)
            if reply.status not in (404, 422):
                raise UnknownTypeOrActionAccepted(
                    f"POST /models/types/{dtype}/actions/{KNOWN_ACTION} without arguments answered "
                    f"{reply.status}: the type has no such action (404) or its arguments are missing (422)",
                    expected="404 or 422", actual=str(reply.status), evidence=[reply.exchange],
                )
        after = api.get_ok(model["name"])
        if after != before:
            changed = sorted(key for key in {*before, *after} if before.get(key) != after.get(key))
            raise ActionChangedModels(
                f"model-type action calls changed {model['name']!r}: {', '.join(changed)}",
                operation=f"POST {TYPE_ACTION}", expected="the model as it was", actual=", ".join(changed),
            )

    ctx.scenario(steps)


@rule()
def health_public(ctx: RuleContext) -> None:
    """GET /models/{name}/health answers 200 without an admin key and with it, and an unknown model is 404 (docs/contract.md §9b.3)."""
    ctx.require_recipe()
    api = ctx.api

    def steps() -> None:
        model = api.create_ok(ctx.name("health"))
        api.send("GET", MODEL_HEALTH, name=model["name"], authorization=None).expect(
            200, HealthNotPublic, "the health route is public")
        api.send("GET", MODEL_HEALTH, name=model["name"]).expect(200, why="the model exists")
        missing = ctx.name("health-missing")
        api.send("GET", MODEL_HEALTH, name=missing, authorization=None).expect(
            404, why=f"{missing!r} does not exist")

    ctx.scenario(steps)


@rule(needs_other_tenant=True)
def health_tenant_scoped(ctx: RuleContext) -> None:
    """GET /models/{name}/health through another tenant is 404, exactly as if the model did not exist (docs/contract.md §3.3, §9b.3)."""
    ctx.require_recipe()
    mine, theirs = ctx.api, ctx.other_api()

    def steps() -> None:
        model = mine.create_ok(ctx.name("health-mine"))
        # with the key: whether the route is public is health_public's question, not this one's
        mine.send("GET", MODEL_HEALTH, name=model["name"]).expect(200, why="the model exists in this tenant")
        theirs.send("GET", MODEL_HEALTH, name=model["name"]).expect(
            404, TenantLeak, f"{model['name']!r} belongs to tenant {mine.tenant!r}")

    ctx.scenario(steps)
