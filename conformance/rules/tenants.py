"""Tenant isolation (docs/contract.md §3): names are unique per tenant, other tenants' models are invisible."""

from __future__ import annotations

from conformance.api import ModelsApi, expect_not_found
from conformance.context import RuleContext
from conformance.options import tenant_label
from conformance.registry import rule
from conformance.routes import GET_MODELS, PATCH_MODEL
from conformance.strategies import name_suffixes
from conformance.violations import CrossTenantConflict, TenantLeak


def _invisible(other: ModelsApi, name: str, model_id: str) -> None:
    """Another tenant's model is 404 there; a success is a leak, any other status just wrong."""
    for method, body in (("GET", None), ("PATCH", {"summary": "ck from another tenant"}), ("DELETE", None)):
        reply = other.send(method, "/models/{name}", name=name, **({"body": body} if body else {}))
        expect_not_found(reply, TenantLeak, f"{method} of another tenant's model through {tenant_label(other.tenant)}")
    if any(isinstance(item, dict) and item.get("id") == model_id for item in other.list()):
        raise TenantLeak(
            f"the list of {tenant_label(other.tenant)} shows {name!r}, a model of another tenant",
            operation=GET_MODELS, expected=f"no model with id {model_id}", actual="listed",
        )


@rule(needs_other_tenant=True)
def tenant_isolation(ctx: RuleContext) -> None:
    """The same name may exist in two tenants; a model is invisible to GET, PATCH, DELETE and list through another tenant; conflicts count only within a tenant (docs/contract.md §3.3)."""
    ctx.require_recipe()
    mine, theirs = ctx.api, ctx.other_api()

    def example(suffix: str) -> None:
        shared = ctx.name("shared-" + suffix)
        mine.create_ok(shared)
        theirs.create(shared).expect(201, CrossTenantConflict, f"{shared!r} exists only in {tenant_label(mine.tenant)}")

        private = ctx.name("private-" + suffix)
        model = mine.create_ok(private)
        before = mine.get_ok(private)
        _invisible(theirs, private, model["id"])
        if mine.get_ok(private) != before:
            raise TenantLeak(
                f"requests through {tenant_label(theirs.tenant)} changed {private!r} of {tenant_label(mine.tenant)}",
                expected="the model unchanged", actual="changed",
            )

        theirs.patch(shared, {"name": private}).expect(
            200, CrossTenantConflict, f"{private!r} is held only in {tenant_label(mine.tenant)}"
        )
        if mine.get_ok(private) != before:
            raise TenantLeak(
                f"a rename in {tenant_label(theirs.tenant)} changed {private!r} of {tenant_label(mine.tenant)}",
                operation=PATCH_MODEL, expected="the model unchanged", actual="changed",
            )

    ctx.for_all(example, suffix=name_suffixes())
