"""Response shapes (contract-notes §1, §4, §5): every answer the probes get is documented and fits its schema."""

from __future__ import annotations

from conformance.api import MODEL, MODELS, TYPE, TYPES
from conformance.kit import Kit
from conformance.registry import rule
from conformance.violations import ResponseShapeMismatch, UndocumentedStatus


def _tour(kit: Kit) -> None:
    """Provoke every documented status the kit can reach, so each one's schema is exercised."""
    api = kit.api
    api.send("GET", TYPES)
    api.send("GET", TYPE, name=kit.recipe.dtype if kit.recipe else "openai")
    api.send("GET", TYPE, name=kit.name("no-such-type"))
    api.send("GET", MODELS)
    api.send("GET", MODELS, authorization=None)
    api.send("GET", MODEL, name=kit.name("missing"))
    api.as_tenant(kit.name("no-such-tenant")).send("GET", MODELS)
    if kit.options.read_only:
        return
    kit.require_recipe()
    first, second = kit.name("first"), kit.name("second")
    api.create(first)
    api.create(second)
    api.create(first)  # 409
    api.create(kit.name("bad-dtype"), dtype=kit.name("no-such-type"))  # 400
    api.post({})  # 422
    api.get(first)
    api.patch(first, {"summary": "ck tour"})
    api.patch(first, {})  # 422
    api.patch(first, {"name": second})  # 409
    api.patch(kit.name("missing"), {"summary": "x"})  # 404
    api.delete(first)
    api.delete(first)  # 404


@rule(writes=False)
def response_schema(kit: Kit) -> None:
    """Every response the kit's probes receive has a documented status and validates against that status's schema (contract-notes §1, §4, §5)."""
    kit.scenario(lambda: _tour(kit))
    if not kit.observed:
        if kit.options.read_only:
            kit.notes.append("read-only: only GET responses were checked")
        return
    kit.failing_transcript = [exchange for _, exchange, _ in kit.observed[:5]]
    lines = [
        f"[{rule_name or 'start-up'}] {exchange.describe()}: {'; '.join(problems)[:300]}"
        for rule_name, exchange, problems in kit.observed[:10]
    ]
    more = f" (and {len(kit.observed) - 10} more)" if len(kit.observed) > 10 else ""
    undocumented = all(problems[0].startswith("status ") for _, _, problems in kit.observed)
    violation = UndocumentedStatus if undocumented else ResponseShapeMismatch
    raise violation(f"{len(kit.observed)} responses break the contract{more}:\n" + "\n".join(lines))
