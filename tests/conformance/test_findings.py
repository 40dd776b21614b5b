"""How a rule hands back findings: one per kind, distinct instances of one defect, and a bound.

A finding per (defect, instance) lets a baseline entry cover the instances it names and no
other (issue 6 §3); the bound keeps the output of a rule with many of them readable, and what
it leaves off still fails the run (issue 12: no masking).
"""

from __future__ import annotations

from types import SimpleNamespace

from conformance import baseline
from conformance.context import MAX_FINDINGS, RuleContext
from conformance.results import Outcome, RuleResult, RunReport
from conformance.violations import SchemaCheckFailed, UnexpectedStatus


def a_rule_context() -> RuleContext:
    run = SimpleNamespace(client=None, tracker=None, recipe=None)
    return RuleContext(run, "schema_conformance", "§1", deadline=float("inf"))


def failure(operation: str, title: str) -> SchemaCheckFailed:
    return SchemaCheckFailed(f"{operation}: {title} - details", operation=operation, actual=title)


def test_one_finding_per_defect_unless_the_rule_tells_instances_apart() -> None:
    ctx = a_rule_context()
    assert ctx.report(UnexpectedStatus("a"), transcript=[]) and not ctx.report(UnexpectedStatus("b"), transcript=[])
    for operation, title in [("GET /models/", "Server error"), ("POST /models/", "Server error"),
                             ("GET /models/", "Server error")]:
        ctx.report(failure(operation, title), transcript=[], instance=f"{operation}: {title}")
    assert [(f.defect, f.operation) for f in ctx.findings] == [
        ("UnexpectedStatus", ""), ("SchemaCheckFailed", "GET /models/"), ("SchemaCheckFailed", "POST /models/")]


def test_findings_past_the_bound_are_counted_in_one_more_that_still_fails_the_run(tmp_path) -> None:
    ctx = a_rule_context()
    for index in range(MAX_FINDINGS + 5):
        ctx.report(failure(f"GET /models/{index}", "Response violates schema"), transcript=[], instance=str(index))
    assert len(ctx.findings) == MAX_FINDINGS + 1
    assert ctx.findings[-1].defect == "FindingsLeftOff" and ctx.findings[-1].message.startswith("5 more distinct")
    report = RunReport("http://target/api/v1", None, None, seed=1, prefix="ck-0000000000-")
    report.results = [RuleResult("schema_conformance", "S (docs/contract.md §1).", Outcome.FAIL, findings=ctx.findings)]
    known = tmp_path / "known.yaml"
    known.write_text("known:\n  - {rule: schema_conformance, defect: SchemaCheckFailed,"
                     " evidence: Response violates schema, reason: shapes (docs/contract.md §10)}\n", encoding="utf-8")
    baseline.apply(report, baseline.load(known))
    assert report.exit_code == 1 and [f.defect for f in report.results[0].findings if not f.known] == ["FindingsLeftOff"]
