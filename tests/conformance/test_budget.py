"""How `--max-time` is shared out (issue 8 §4: `--max-time` honoured to within a few seconds):
the rules' requests end with the cleanup's part still ahead, so the cleanup, whose first
unanswered request is its last, ends by `--max-time` too."""

from __future__ import annotations

import pytest

from conformance.budget import CLEANUP_SECONDS, GRACE_SECONDS, Budget


@pytest.mark.parametrize("total", [30.0, 100.0, 3600.0])
def test_the_rules_end_with_the_cleanups_part_still_ahead(total):
    budget = Budget(total, started=1000.0)
    assert budget.rules_end == 1000.0 + total - CLEANUP_SECONDS
    assert budget.rules == total - GRACE_SECONDS - CLEANUP_SECONDS


def test_a_budget_too_small_for_grace_and_cleanup_gives_the_rules_nothing_but_explicit_cases_their_grace():
    budget = Budget(0.001, started=1000.0)
    assert budget.rules == 0.0
    assert budget.remaining() == 0.0
    assert budget.rules_end == 1000.0 + GRACE_SECONDS
