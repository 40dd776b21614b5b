"""What a run found: `Finding`s, one `RuleResult` per rule, and the `RunReport` around them.

Everything here is plain data (the JSON report is `dataclasses.asdict` of it), so a tool can
read a failure by its fields instead of parsing the text report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from conformance.client import Exchange

EVIDENCE_BODY_CHARS = 2000  # a response body quoted as evidence is cut here (the length is said)


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_RUN = "not run"


@dataclass(frozen=True)
class Evidence:
    """One exchange quoted as evidence: what was sent and what came back."""

    method: str
    url: str
    request_body: str | None
    status: int | None
    response_body: str

    @classmethod
    def of(cls, exchange: Exchange) -> Evidence:
        text = exchange.text
        if len(text) > EVIDENCE_BODY_CHARS:
            text = f"{text[:EVIDENCE_BODY_CHARS]}... ({len(exchange.text)} characters)"
        sent = exchange.body.decode("utf-8", "replace") if exchange.body is not None else None
        return cls(exchange.method, exchange.url, sent, exchange.status, text if exchange.status else exchange.error)

    def describe(self) -> str:
        sent = f" {self.request_body}" if self.request_body is not None else ""
        answered = self.status if self.status is not None else "no answer"
        return f"{self.method} {self.url}{sent} -> {answered} {self.response_body}".rstrip()


@dataclass
class Finding:
    """One distinct defect a rule found, with its own evidence and reproduction."""

    defect: str  # the violation's class name: what a baseline matches and a dashboard counts
    message: str
    operation: str = ""  # e.g. "PATCH /models/{name}"
    expected: str = ""
    actual: str = ""
    clause: str = ""  # e.g. "docs/contract.md §7"
    evidence: list[Evidence] = field(default_factory=list)
    counterexample: str = ""  # the smallest example Hypothesis found, or the explicit case
    reproduction: str = ""  # curl commands that reproduce it from scratch


@dataclass
class RuleResult:
    rule: str
    statement: str
    outcome: Outcome
    reason: str = ""  # why the rule was not run
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def defects(self) -> list[str]:
        return [finding.defect for finding in self.findings]


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
