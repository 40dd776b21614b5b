"""Response shapes (docs/contract.md §1, §4, §5): an after-run check that every answer the
rules' requests got has a documented status and fits its schema."""

from __future__ import annotations

from conformance.api import MODEL, MODELS, TYPE, TYPES
from conformance.client import Exchange, parse_json
from conformance.context import RuleContext
from conformance.curl import curl_script
from conformance.registry import rule
from conformance.results import excerpt
from conformance.violations import ContractViolation, ResponseShapeMismatch, UndocumentedStatus

SHOWN = 10  # offending answers quoted per defect


def _tour(ctx: RuleContext) -> None:
    """Provoke every documented status the kit can reach, so each one's schema is exercised."""
    api = ctx.api
    api.send("GET", TYPES)
    api.send("GET", TYPE, name=ctx.recipe.dtype if ctx.recipe else "openai")
    api.send("GET", TYPE, name=ctx.name("no-such-type"))
    api.send("GET", MODELS)
    api.send("GET", MODELS, authorization=None)
    api.send("GET", MODEL, name=ctx.name("missing"))
    api.as_tenant(ctx.name("no-such-tenant")).send("GET", MODELS)
    if ctx.options.read_only:
        return
    ctx.require_recipe()
    first, second = ctx.name("first"), ctx.name("second")
    api.create(first)
    api.create(second)
    api.create(first)  # 409
    api.create(ctx.name("bad-dtype"), dtype=ctx.name("no-such-type"))  # 400
    api.post({})  # 422
    api.get(first)
    api.patch(first, {"summary": "ck tour"})
    api.patch(first, {})  # 422
    api.patch(first, {"name": second})  # 409
    api.patch(ctx.name("missing"), {"summary": "x"})  # 404
    api.delete(first)
    api.delete(first)  # 404


def _problems(ctx: RuleContext, exchange: Exchange) -> list[str]:
    try:
        body = parse_json(exchange.text) if exchange.text else None
    except ValueError:
        undocumented = ctx.contract.response_problems(exchange.method, exchange.template, exchange.status, None)
        if undocumented and undocumented[0].startswith("status "):
            return undocumented  # the status is the problem; its body has no schema to fit
        return [f"body is not JSON: {exchange.text[:120]!r}"]
    return ctx.contract.response_problems(exchange.method, exchange.template, exchange.status, body)


@rule(writes=False, after_run=True)
def response_schema(ctx: RuleContext) -> None:
    """Every response the kit's probes receive has a documented status and validates against that status's schema (docs/contract.md §1, §4, §5)."""
    ctx.scenario(lambda: _tour(ctx))
    broken: dict[type[ContractViolation], list[tuple[str, Exchange, list[str]]]] = {}
    documented = {(operation.method, operation.path) for operation in ctx.contract.operations}
    for rule_name, exchange in ctx.run.exchanges:
        if (exchange.method, exchange.template) not in documented:
            continue  # a method the path does not define: method_not_allowed judges the 405
        problems = _problems(ctx, exchange)
        if problems:
            kind = UndocumentedStatus if problems[0].startswith("status ") else ResponseShapeMismatch
            broken.setdefault(kind, []).append((rule_name, exchange, problems))
    if ctx.options.read_only:
        ctx.note("read-only: only GET responses were checked")
    for kind, found in broken.items():
        shown = found[:SHOWN]
        lines = [
            f"[{rule_name}] {excerpt(exchange.describe(), 600)}: {excerpt('; '.join(problems), 600)}"
            for rule_name, exchange, problems in shown
        ]
        listed = f"the first {len(shown)}" if len(found) > len(shown) else "all of them"
        first = shown[0][1]
        ctx.report(
            kind(
                f"{len(found)} responses break the contract ({listed} below):\n" + "\n".join(lines),
                operation=first.operation,
                expected="a documented status and a body that fits its schema",
                actual=excerpt("; ".join(shown[0][2]), 600),
                evidence=[exchange for _, exchange, _ in shown],
            ),
            reproduction=curl_script([exchange for _, exchange, _ in shown]),
        )
