"""Runs the selected rules against one target and always cleans up after itself.

The command line and the pytest form both drive this module: `open_kit` checks that the kit
can run at all (a `KitError` otherwise), `run_rule` turns one rule into a `RuleResult`, and
`run` does the whole run with SIGINT/SIGTERM turned into a clean stop that still deletes
everything the run created.
"""

from __future__ import annotations

import time
import traceback

import conformance.rules  # noqa: F401  (registers the rules)
from conformance import interrupts
from conformance.client import CLEANUP_SECONDS, RunOutOfTime
from conformance.contract import Contract
from conformance.curl import curl_script
from conformance.errors import BadOption
from conformance.kit import Kit
from conformance.options import KitOptions
from conformance.registry import RULES, NotRun, Rule
from conformance.results import Outcome, RuleResult, RunReport
from conformance.scrubbing import scrub
from conformance.violations import ContractViolation


def selected_rules(options: KitOptions) -> list[Rule]:
    if options.rules is None:
        return list(RULES)
    unknown = [name for name in options.rules if name not in RULES.names()]
    if unknown:
        raise BadOption(f"unknown rule(s) {', '.join(unknown)}; known: {', '.join(RULES.names())}")
    return [rule for rule in RULES if rule.name in options.rules]


def open_kit(options: KitOptions) -> Kit:
    """Load the contract and check the target; raises a `KitError` when the kit cannot run."""
    contract = Contract.load(options.contract)
    kit = Kit(options, contract)
    try:
        kit.preflight()
    except BaseException:
        kit.close()
        raise
    return kit


def _why_not_run(kit: Kit, rule: Rule) -> str | None:
    if kit.options.read_only and rule.writes:
        return "read-only mode: the rule must create or change models"
    if rule.needs_other_tenant and kit.options.other_tenant is None:
        return "needs a second tenant (--other-tenant)"
    return None


def _violation_in(error: BaseException) -> ContractViolation | None:
    """The contract violation inside an exception group (Hypothesis reports flaky failures so)."""
    if isinstance(error, ContractViolation):
        return error
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            found = _violation_in(inner)
            if found is not None:
                return found
    return None


def run_rule(kit: Kit, rule: Rule, rules_left: int = 1) -> RuleResult:
    """Run one rule; every outcome, even an unexpected exception, becomes a result."""
    started = time.monotonic()
    result = RuleResult(rule.name, rule.statement, Outcome.PASS)
    reason = _why_not_run(kit, rule)
    if reason is not None:
        result.outcome, result.reason = Outcome.NOT_RUN, reason
        return result
    kit.rule_name = rule.name
    kit.notes = []
    kit.failing_transcript = []
    kit.failing_curl = ""
    kit.rule_deadline = started + kit.budget.share(rules_left)
    try:
        rule.check(kit)
    except NotRun as exc:
        result.outcome, result.reason = Outcome.NOT_RUN, str(exc)
    except Exception as exc:  # noqa: BLE001  every failure of a rule is reported, never raised
        _record_failure(kit, result, exc)
    result.notes = list(kit.notes)
    result.seconds = time.monotonic() - started
    return scrub(result, kit.options.token)


def _record_failure(kit: Kit, result: RuleResult, error: Exception) -> None:
    result.outcome = Outcome.FAIL
    violation = _violation_in(error)
    if violation is not None:
        result.defect, result.reason = violation.defect, str(violation)
    else:
        frame = traceback.extract_tb(error.__traceback__)[-1]
        result.defect = "UnexpectedAnswer"
        result.reason = (
            f"the rule could not interpret the target's answers: {type(error).__name__}: {error} "
            f"({frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})"
        )
    notes = [note for note in getattr(error, "__notes__", []) if note.strip()]
    result.counterexample = "\n".join(notes)
    result.reproduction = kit.failing_curl or curl_script(kit.failing_transcript)


def finish(kit: Kit, report: RunReport) -> None:
    """Delete what the run created and record what could not be deleted."""
    with interrupts.ignored():
        kit.client.listeners.clear()
        kit.client.liveness.revive()  # a target that stopped answering gets one more chance
        kit.client.limits.allow(CLEANUP_SECONDS)  # however much of --max-time the rules used
        report.remaining = kit.tracker.cleanup(kit.client)
        kit.close()


def run(options: KitOptions) -> RunReport:
    """The whole run: preflight (may raise `KitError`), every selected rule, cleanup."""
    started = time.monotonic()
    rules = selected_rules(options)
    kit = open_kit(options)
    report = RunReport(options.base_url, options.tenant, options.other_tenant, kit.seed, kit.prefix)
    try:
        with interrupts.stop_between_requests():
            for index, rule in enumerate(rules):
                report.results.append(run_rule(kit, rule, rules_left=len(rules) - index))
    except KeyboardInterrupt as stop:
        report.interrupted = True
        done = {result.rule for result in report.results}
        report.results += [
            RuleResult(rule.name, rule.statement, Outcome.NOT_RUN, reason=str(stop) if isinstance(stop, RunOutOfTime) else "interrupted")
            for rule in rules
            if rule.name not in done
        ]
    finally:
        finish(kit, report)
        report.seconds = time.monotonic() - started
    return scrub(report, options.token)
