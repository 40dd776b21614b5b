"""Runs the selected rules against one target and always cleans up after itself.

The command line and the pytest form both drive this module: `open_run` checks that the kit
can run at all (a `KitError` otherwise), `run_rule` turns one rule into a `RuleResult`, and
`run` does the whole run with SIGINT/SIGTERM turned into a clean stop that still deletes
everything the run created.
"""

from __future__ import annotations

import time
import traceback

import conformance.rules  # noqa: F401  (registers the rules)
from conformance import interrupts
from conformance.budget import CLEANUP_SECONDS
from conformance.client import RunOutOfTime
from conformance.context import NotRun, RuleContext
from conformance.contract import Contract
from conformance.errors import BadOption
from conformance.options import KitOptions
from conformance.registry import RULES, Rule
from conformance.results import Finding, Outcome, RuleResult, RunReport
from conformance.run_context import RunContext
from conformance.scrubbing import scrub
from conformance.violations import violation_in


def selected_rules(options: KitOptions) -> list[Rule]:
    if options.rules is None:
        return list(RULES)
    unknown = [name for name in options.rules if name not in RULES.names()]
    if unknown:
        raise BadOption(f"unknown rule(s) {', '.join(unknown)}; known: {', '.join(RULES.names())}")
    return [rule for rule in RULES if rule.name in options.rules]


def rules_left(rules: list[Rule]) -> int:
    """How many rules share the remaining budget: after-run checks judge what is done, so they
    take no share of it."""
    return max(1, sum(not rule.after_run for rule in rules))


def open_run(options: KitOptions) -> RunContext:
    """Load the contract and check the target; raises a `KitError` when the kit cannot run."""
    contract = Contract.load(options.contract)
    run_context = RunContext(options, contract)
    try:
        run_context.preflight()
    except BaseException:
        run_context.close()
        raise
    return run_context


def _why_not_run(run_context: RunContext, rule: Rule) -> str | None:
    """The run's own options that exclude a rule (not counted against the verdict)."""
    if run_context.options.read_only and rule.writes:
        return "read-only mode: the rule must create or change models"
    if rule.needs_other_tenant and run_context.options.other_tenant is None:
        return "needs a second tenant (--other-tenant)"
    return None


def run_rule(run_context: RunContext, rule: Rule, rules_left: int = 1) -> RuleResult:
    """Run one rule; every outcome, even an unexpected exception, becomes a result."""
    started = time.monotonic()
    result = RuleResult(rule.name, rule.statement, Outcome.PASS)
    reason = _why_not_run(run_context, rule)
    if reason is not None:
        result.outcome, result.reason, result.by_options = Outcome.NOT_RUN, reason, True
        return result
    ctx = RuleContext(run_context, rule.name, rule.clause, started + run_context.budget.share(rules_left))
    run_context.client.listeners.append(ctx.record)
    try:
        rule.check(ctx)
    except NotRun as exc:
        result.outcome, result.reason, result.by_options = Outcome.NOT_RUN, str(exc), exc.by_options
    except Exception as exc:  # noqa: BLE001  every failure of a rule is reported, never raised
        violation = violation_in(exc)
        if violation is not None:
            ctx.report(violation)  # raised outside any scenario (require_recipe, say)
        else:
            ctx.findings.append(_crash(exc))
    finally:
        run_context.client.listeners.remove(ctx.record)
    if ctx.findings:
        result.outcome, result.findings, result.reason = Outcome.FAIL, ctx.findings, ctx.cut_short
    elif ctx.cut_short and result.outcome is Outcome.PASS:
        result.outcome, result.reason = Outcome.INCOMPLETE, ctx.cut_short
    result.notes = ctx.notes
    result.seconds = time.monotonic() - started
    return scrub(result, run_context.options.token)


def _crash(error: Exception) -> Finding:
    frame = traceback.extract_tb(error.__traceback__)[-1]
    return Finding(
        defect="UnexpectedAnswer",
        message=(
            f"the rule could not interpret the target's answers: {type(error).__name__}: {error} "
            f"({frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})"
        ),
    )


def finish(run_context: RunContext, report: RunReport) -> None:
    """Delete what the run created and record what could not be deleted."""
    with interrupts.ignored():
        run_context.client.listeners.clear()
        run_context.client.liveness.revive_for_cleanup()
        run_context.client.limits.allow(CLEANUP_SECONDS)  # however much of --max-time the rules used
        report.remaining = run_context.tracker.cleanup(run_context.client)
        run_context.close()


def run(options: KitOptions) -> RunReport:
    """The whole run: preflight (may raise `KitError`), every selected rule, cleanup."""
    started = time.monotonic()
    rules = selected_rules(options)
    run_context = open_run(options)
    report = RunReport(options.base_url, options.tenant, options.other_tenant, run_context.seed, run_context.prefix,
                       read_only=options.read_only)
    try:
        with interrupts.stop_between_requests():
            for index, rule in enumerate(rules):
                report.results.append(run_rule(run_context, rule, rules_left=rules_left(rules[index:])))
    except KeyboardInterrupt as stop:
        # out of time is not an interruption: the rules left say the budget ran out (INCOMPLETE)
        report.interrupted = not isinstance(stop, RunOutOfTime)
        done = {result.rule for result in report.results}
        report.results += [
            RuleResult(rule.name, rule.statement, Outcome.NOT_RUN,
                       reason=str(stop) if isinstance(stop, RunOutOfTime) else "the run was interrupted")
            for rule in rules
            if rule.name not in done
        ]
    finally:
        finish(run_context, report)
        report.seconds = time.monotonic() - started
    return scrub(report, options.token)
