"""What a run found: one `RuleResult` per rule and the `RunReport` around them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_RUN = "not run"


@dataclass
class RuleResult:
    rule: str
    statement: str
    outcome: Outcome
    reason: str = ""  # why it failed or was not run
    defect: str = ""  # the violation's name, for failures
    counterexample: str = ""  # the minimal example Hypothesis found
    reproduction: str = ""  # curl commands that reproduce the failure from scratch
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class RunReport:
    base_url: str
    tenant: str | None
    other_tenant: str | None
    seed: int
    prefix: str
    results: list[RuleResult] = field(default_factory=list)
    remaining: list[tuple[str | None, str, str]] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def failed(self) -> list[RuleResult]:
        return [result for result in self.results if result.outcome is Outcome.FAIL]

    @property
    def exit_code(self) -> int:
        """0 conforms, 1 a rule failed, 2 the run was interrupted before it could judge."""
        if self.interrupted:
            return 2
        return 1 if self.failed else 0
