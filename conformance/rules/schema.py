"""Schema level (docs/contract.md §1–§5): Schemathesis over openapi.yaml against the target."""

from __future__ import annotations

import time

from conformance.context import NotRun, RuleContext
from conformance.registry import rule
from conformance.results import excerpt
from conformance.schema_phase import RunScope, build_config, run_schemathesis
from conformance.violations import SchemaCheckFailed

# At most this share of --max-time: Schemathesis keeps fuzzing for as long as it is given.
SCHEMA_SHARE = 0.45
SHOWN = 15  # failures quoted in the message


@rule(writes=False)
def schema_conformance(ctx: RuleContext) -> None:
    """Schemathesis with all built-in checks, positive and negative data and the stateful phase finds nothing (docs/contract.md §1–§5)."""
    if not ctx.options.schema:
        raise NotRun("skipped with --no-schema", by_options=True)
    max_time = min(ctx.options.max_time * SCHEMA_SHARE, ctx.deadline - time.monotonic())
    if max_time < 1:
        raise NotRun("the time budget (--max-time) was used up before this rule")
    config = build_config(
        base_url=ctx.options.base_url,
        token=ctx.options.token,
        seed=ctx.run.seed,
        max_examples=ctx.options.examples,
        timeout=ctx.options.timeout,
        read_only=ctx.options.read_only,
    )
    scope = RunScope(ctx.prefix, ctx.options.tenant, ctx.run.tracker, ctx.recipe)
    run = run_schemathesis(
        document=ctx.contract.document,
        config=config,
        scope=scope,
        limits=ctx.run.client.limits,
        token=ctx.options.token,
        max_time=max_time,
        read_only=ctx.options.read_only,
    )
    ctx.note(run.summary())
    if run.cut_short:
        ctx.stop_short(f"the time budget (--max-time) ended the Schemathesis phase after {max_time:.0f}s")
    if ctx.options.read_only:
        ctx.note("read-only: GET operations only, no stateful phase")
    for violation in run.unanswered:  # a call a bound ended: the kit's own defect names
        ctx.report(violation, transcript=violation.evidence)
    failures, errors = run.failures, run.errors
    if not failures and not errors:
        return
    lines = [excerpt(f"{f.operation}: {f.title} - {f.message}", 1500) for f in failures]
    lines += [f"error: {error}" for error in errors]
    ctx.report(
        SchemaCheckFailed(
            f"Schemathesis found {len(failures)} distinct failures"
            + (f" (the first {SHOWN} below)" if len(lines) > SHOWN else "") + ":\n" + "\n".join(lines[:SHOWN]),
            operation=failures[0].operation if failures else "",
            expected="no Schemathesis check fails",
            actual="; ".join(f"{f.operation}: {f.title}" for f in failures[:5]) or errors[0][:300],
        ),
        reproduction="\n\n".join(f"# {f.operation}: {f.title}\n{f.curl}" for f in failures[:5]),
    )
