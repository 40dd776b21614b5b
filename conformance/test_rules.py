"""One pytest test per registered rule, run by the shared runner."""

from __future__ import annotations

import pytest

from conformance.registry import RULES
from conformance.reports import render_finding
from conformance.results import Outcome
from conformance.run_context import RunContext
from conformance.runner import rules_left, run_rule


@pytest.mark.parametrize("rule_name", RULES.names())
def test_rule(conformance_run: RunContext, rule_name: str) -> None:
    rules = list(RULES)
    index = RULES.names().index(rule_name)
    result = run_rule(conformance_run, rules[index], rules_left=rules_left(rules[index:]))
    if result.outcome is Outcome.NOT_RUN and result.by_options:
        pytest.skip(f"{rule_name} not run: {result.reason}")
    if result.outcome in (Outcome.NOT_RUN, Outcome.INCOMPLETE):  # never green without judging
        pytest.fail(f"{rule_name} {result.outcome}: {result.reason}", pytrace=False)
    if result.outcome is Outcome.FAIL:
        pytest.fail("\n\n".join(render_finding(finding) for finding in result.findings), pytrace=False)
