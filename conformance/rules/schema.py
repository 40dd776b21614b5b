"""Schema level (contract-notes §1–§5): Schemathesis over openapi.yaml against the target."""

from __future__ import annotations

import time

from conformance.kit import Kit
from conformance.registry import NotRun, rule
from conformance.schema_phase import RunScope, build_config, run_schemathesis
from conformance.violations import SchemaCheckFailed

# At most this share of --max-time: Schemathesis keeps fuzzing for as long as it is given.
SCHEMA_SHARE = 0.45


@rule(writes=False)
def schema_conformance(kit: Kit) -> None:
    """Schemathesis with all built-in checks, positive and negative data and the stateful phase finds nothing (contract-notes §1–§5)."""
    if not kit.options.schema:
        raise NotRun("skipped with --no-schema")
    max_time = min(kit.options.max_time * SCHEMA_SHARE, kit.rule_deadline - time.monotonic())
    if max_time < 1:
        raise NotRun("the time budget (--max-time) was used up before this rule")
    config = build_config(
        base_url=kit.options.base_url,
        token=kit.options.token,
        seed=kit.seed,
        max_examples=kit.options.examples,
        timeout=kit.options.timeout,
        read_only=kit.options.read_only,
    )
    scope = RunScope(kit.prefix, kit.options.tenant, kit.tracker, kit.recipe)
    run = run_schemathesis(
        contract_path=str(kit.options.contract),
        config=config,
        scope=scope,
        max_time=max_time,
        read_only=kit.options.read_only,
    )
    kit.notes.append(run.summary())
    if kit.options.read_only:
        kit.notes.append("read-only: GET operations only, no stateful phase")
    failures, errors = run.failures, run.errors
    if not failures and not errors:
        return
    kit.failing_curl = "\n\n".join(f"# {f.operation}: {f.title}\n{f.curl}" for f in failures[:5])
    lines = [f"{f.operation}: {f.title} - {f.message}"[:400] for f in failures]
    lines += [f"error: {error}" for error in errors]
    raise SchemaCheckFailed(f"Schemathesis found {len(failures)} distinct failures:\n" + "\n".join(lines[:15]))
