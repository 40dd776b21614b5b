"""Schema level (docs/contract.md §1–§5): Schemathesis over openapi.yaml against the target."""

from __future__ import annotations

import time

from conformance.context import NotRun, RuleContext
from conformance.registry import rule
from conformance.results import excerpt
from conformance.violations import SchemaCheckFailed

# At most this share of --max-time: Schemathesis keeps fuzzing for as long as it is given.
SCHEMA_SHARE = 0.45


@rule(writes=False)
def schema_conformance(ctx: RuleContext) -> None:
    """Schemathesis with all built-in checks, positive and negative data and the stateful phase finds nothing (docs/contract.md §1–§5)."""
    if not ctx.options.schema:
        raise NotRun("skipped with --no-schema", by_options=True)
    # imported here, not at the top: Schemathesis is a third of the kit's start-up, which a
    # --no-schema run (most of the catalogue's) never needs
    from conformance.schema_phase import RunScope, build_config, run_schemathesis

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
    if run.held:
        ctx.stop_short(f"the Schemathesis phase was stopped {max_time:.0f}s into it (--max-time): it was "
                       "still waiting past the deadline of every request it had sent")
    elif run.cut_short:
        ctx.stop_short(f"the time budget (--max-time) ended the Schemathesis phase after {max_time:.0f}s")
    if ctx.options.read_only:
        ctx.note("read-only: GET operations only, no stateful phase")
    for violation in run.unanswered:  # a call a bound ended: the kit's own defect names
        ctx.report(violation, transcript=violation.evidence, instance=violation.operation)
    # one finding per failure, so a baseline entry covers the failures it names and no others
    for failure in run.failures:
        ctx.report(
            SchemaCheckFailed(excerpt(f"{failure.operation}: {failure.title} - {failure.message}", 1500),
                              operation=failure.operation, expected="no Schemathesis check fails",
                              actual=failure.title, evidence=failure.evidence),
            transcript=[], reproduction=f"# {failure.operation}: {failure.title}\n{failure.curl}",
            instance=f"{failure.operation}: {failure.title}",
        )
    for error in run.errors:
        ctx.report(SchemaCheckFailed(f"Schemathesis could not check everything: {error}",
                                     expected="no Schemathesis check fails", actual=error[:300]),
                   transcript=[], instance=error)
