"""Unknown and deleted models (docs/contract.md §7, §8)."""

from __future__ import annotations

from typing import Any

from conformance.api import MODEL, MODELS, expect_not_found
from conformance.context import RuleContext
from conformance.registry import rule
from conformance.routes import GET_MODELS
from conformance.strategies import field_text, name_suffixes
from conformance.violations import (
    DeleteAnswerMalformed,
    DeletedModelStillThere,
    PhantomModelCreated,
    UnknownTenantAccepted,
)


@rule(writes=False)
def not_found(ctx: RuleContext) -> None:
    """GET, PATCH or DELETE of an unknown name is 404 and creates nothing; so is an unknown tenant (docs/contract.md §7.10, §3.2)."""

    def example(suffix: str, new_suffix: str, summary: str) -> None:
        missing = ctx.name("missing-" + suffix)
        ctx.api.get(missing).expect(404, why=f"no model is named {missing!r}")
        if ctx.options.read_only:
            return
        target = ctx.name("target-" + new_suffix)
        ctx.api.patch(missing, {"name": target, "summary": summary}).expect(404, why="PATCH of an unknown name")
        ctx.api.delete(missing).expect(404, why="DELETE of an unknown name")
        for name in (missing, target):
            expect_not_found(ctx.api.get(name), PhantomModelCreated, "after PATCH/DELETE of an unknown name")

    def unknown_tenant() -> None:
        tenant = ctx.run.unknown_tenant()
        listed = ctx.api.as_tenant(tenant).send("GET", MODELS)
        listed.expect(404, UnknownTenantAccepted, f"the tenant {tenant!r} does not exist")

    ctx.scenario(unknown_tenant)
    ctx.for_all(example, suffix=name_suffixes(), new_suffix=name_suffixes(), summary=field_text())
    if ctx.options.read_only:
        ctx.note("read-only: only GET of unknown names was checked")


@rule()
def delete(ctx: RuleContext) -> None:
    """Delete answers 200 {"message": ...}; the model is 404 afterwards and gone from the list (docs/contract.md §8.1, §8.2)."""
    ctx.require_recipe()

    def example(suffix: str) -> None:
        name = ctx.name(suffix)
        model = ctx.api.create_ok(name)
        deleted = ctx.api.delete(name)
        body: Any = deleted.expect(200, why="deleting an existing model")
        if not isinstance(body, dict) or not isinstance(body.get("message"), str):
            raise DeleteAnswerMalformed(
                f"delete answered {body!r:.200}, not {{\"message\": <string>}}",
                expected='{"message": <string>}', actual=f"{body!r:.200}", evidence=[deleted.exchange],
            )
        for method, what in (("GET", None), ("PATCH", {"summary": "ck after delete"}), ("DELETE", None)):
            reply = ctx.api.send(method, MODEL, name=name, **({"body": what} if what else {}))
            expect_not_found(reply, DeletedModelStillThere, f"{method} after the model was deleted")
        listed = ctx.api.list()
        if any(isinstance(item, dict) and item.get("id") == model["id"] for item in listed):
            raise DeletedModelStillThere(
                f"the deleted model {name!r} is still listed",
                operation=GET_MODELS, expected=f"no model with id {model['id']}", actual="listed",
            )

    ctx.for_all(example, suffix=name_suffixes())
