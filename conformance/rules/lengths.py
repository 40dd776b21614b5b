"""Length bounds (docs/contract.md §12): the contract's `maxLength` of name, summary and tags.

One value one code point over each bound must be 422 on create and PATCH and change nothing; a
value exactly at the bound must be accepted. Values are made of `é` (two UTF-8 bytes), so a
target counting bytes instead of code points shows too. A deployment without bounds fails this
rule only: every other rule of the kit stays inside the bounds.
"""

from __future__ import annotations

from conformance.context import NotRun, RuleContext
from conformance.field_bounds import max_lengths
from conformance.registry import rule
from conformance.violations import (
    LengthLimitNotEnforced,
    LengthWithinBoundRejected,
    PhantomModelCreated,
    RejectedRequestChangedState,
)

FILL = "é"


def _value(ctx: RuleContext, field: str, length: int) -> str:
    """A value of exactly `length` code points; a name starts with the run's prefix."""
    start = ctx.name("len-") if field == "name" else ""
    return start + FILL * (length - len(start))


def _create(ctx: RuleContext, field: str, bound: int, over: bool) -> None:
    value = _value(ctx, field, bound + 1 if over else bound)
    name = value if field == "name" else ctx.name(f"len-{field}-{len(value)}")
    fields = {} if field == "name" else {field: value}
    reply = ctx.api.create(name, **fields)
    what = f"create with a {field} of {len(value)} code points (maxLength {bound})"
    if not over:
        reply.expect(201, LengthWithinBoundRejected, what)
        return
    reply.expect(422, LengthLimitNotEnforced, what)
    if name in ctx.api.names():
        raise PhantomModelCreated(
            f"{what} was answered {reply.status}, yet the list shows the model",
            expected="no model created", actual="listed", evidence=[reply.exchange],
        )


def _patch(ctx: RuleContext, field: str, bound: int, over: bool) -> None:
    name = ctx.api.create_ok(ctx.name(f"len-patch-{field}-{bound}-{over}"))["name"]
    before = ctx.api.get_ok(name)
    value = _value(ctx, field, bound + 1 if over else bound)
    reply = ctx.api.patch(name, {field: value})
    what = f"PATCH with a {field} of {len(value)} code points (maxLength {bound})"
    if not over:
        reply.expect(200, LengthWithinBoundRejected, what)
        return
    reply.expect(422, LengthLimitNotEnforced, what)
    if ctx.api.get_ok(name) != before:
        raise RejectedRequestChangedState(
            f"{what} was answered {reply.status} but changed the model",
            expected="the model unchanged", actual="changed", evidence=[reply.exchange],
        )


@rule()
def length_limits(ctx: RuleContext) -> None:
    """name, summary and tags one code point over the contract's maxLength are 422 on create and PATCH and change nothing; at the bound they are accepted (docs/contract.md §12.1)."""
    ctx.require_recipe()
    document = ctx.contract.document
    checks = [(_create, field, bound) for field, bound in max_lengths(document, "ModelCreate").items()]
    checks += [(_patch, field, bound) for field, bound in max_lengths(document, "ModelUpdate").items()]
    if not checks:
        raise NotRun("the contract sets no maxLength on name, summary or tags")
    for check, field, bound in checks:
        for over in (False, True):
            ctx.scenario(lambda check=check, field=field, bound=bound, over=over: check(ctx, field, bound, over))
