"""Tenant isolation (docs/contract.md §3): names are unique per tenant, other tenants' models are invisible."""

from __future__ import annotations

from conformance.api import ModelsApi
from conformance.context import RuleContext
from conformance.registry import rule
from conformance.strategies import name_suffixes
from conformance.violations import CrossTenantConflict, TenantLeak


def _invisible(other: ModelsApi, name: str, model_id: str) -> None:
    for method, body in (("GET", None), ("PATCH", {"summary": "ck from another tenant"}), ("DELETE", None)):
        reply = other.send(method, "/models/{name}", name=name, **({"body": body} if body else {}))
        if reply.status != 404:
            raise TenantLeak(f"{method} {name!r} through tenant {other.tenant!r} answered {reply.status}, not 404")
    if any(isinstance(item, dict) and item.get("id") == model_id for item in other.list()):
        raise TenantLeak(f"the list of tenant {other.tenant!r} shows {name!r}, a model of another tenant")


@rule(needs_other_tenant=True)
def tenant_isolation(ctx: RuleContext) -> None:
    """The same name may exist in two tenants; a model is invisible to GET, PATCH, DELETE and list through another tenant; conflicts count only within a tenant (docs/contract.md §3)."""
    ctx.require_recipe()
    mine, theirs = ctx.api, ctx.other_api()

    def example(suffix: str) -> None:
        shared = ctx.name("shared-" + suffix)
        mine.create_ok(shared)
        theirs.create(shared).expect(201, CrossTenantConflict, f"{shared!r} exists only in tenant {mine.tenant!r}")

        private = ctx.name("private-" + suffix)
        model = mine.create_ok(private)
        before = mine.get_ok(private)
        _invisible(theirs, private, model["id"])
        if mine.get_ok(private) != before:
            raise TenantLeak(f"requests through tenant {theirs.tenant!r} changed {private!r} of tenant {mine.tenant!r}")

        theirs.patch(shared, {"name": private}).expect(
            200, CrossTenantConflict, f"{private!r} is held only in tenant {mine.tenant!r}"
        )
        if mine.get_ok(private) != before:
            raise TenantLeak(f"a rename in tenant {theirs.tenant!r} changed {private!r} of tenant {mine.tenant!r}")

    ctx.for_all(example, suffix=name_suffixes())
