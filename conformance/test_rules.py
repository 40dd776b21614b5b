"""One pytest test per registered rule, run by the shared runner."""

from __future__ import annotations

import pytest

from conformance.kit import Kit
from conformance.registry import RULES
from conformance.results import Outcome
from conformance.runner import run_rule


@pytest.mark.parametrize("rule_name", RULES.names())
def test_rule(conformance_kit: Kit, rule_name: str) -> None:
    rule = RULES.get(rule_name)
    names = RULES.names()
    result = run_rule(conformance_kit, rule, rules_left=len(names) - names.index(rule_name))
    if result.outcome is Outcome.NOT_RUN:
        pytest.skip(f"{rule_name} not run: {result.reason}")
    if result.outcome is Outcome.FAIL:
        details = [f"{result.defect}: {result.reason}"]
        if result.counterexample:
            details.append(f"Smallest counterexample:\n{result.counterexample}")
        if result.reproduction:
            details.append(f"Reproduce (export TOKEN=<admin key> first):\n{result.reproduction}")
        pytest.fail("\n\n".join(details), pytrace=False)
