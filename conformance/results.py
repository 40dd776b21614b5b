"""What a run found: `Finding`s, one `RuleResult` per rule, and the `RunReport` around them.

Everything here is plain data (the JSON report is `dataclasses.asdict` of it), so a tool can
read a failure by its fields instead of parsing the text report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from conformance.client import Exchange

EVIDENCE_BODY_CHARS = 2000  # a response body quoted as evidence is cut here (the length is said)


def excerpt(text: str, limit: int) -> str:
    """`text` shortened to about `limit` characters at a line break, saying how much was left
    out, so no excerpt stops in the middle of a JSON document without saying so."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    kept = text[:cut] if cut > 0 else text[:limit]
    return f"{kept} [... {len(text) - len(kept)} more characters]"


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    KNOWN = "known"  # failed, but only with defects the baseline lists
    INCOMPLETE = "incomplete"  # found nothing, but was cut short by the time budget
    NOT_RUN = "not run"


class Verdict(StrEnum):
    """The run's verdict and its exit code: green only when everything selected was judged."""

    CONFORMS = "CONFORMS"  # exit 0: every selected rule ran to the end and passed
    DOES_NOT_CONFORM = "DOES NOT CONFORM"  # exit 1: a rule failed, whatever else happened
    INCOMPLETE = "INCOMPLETE"  # exit 2: nothing failed, but not everything was judged

    @property
    def exit_code(self) -> int:
        return {Verdict.CONFORMS: 0, Verdict.DOES_NOT_CONFORM: 1, Verdict.INCOMPLETE: 2}[self]


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
        text = excerpt(exchange.text, EVIDENCE_BODY_CHARS)
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
    known: str = ""  # the reason of the baseline entry that covers it (then it does not fail the run)
    expired: str = ""  # a baseline entry covered it until its expiry date


@dataclass
class RuleResult:
    rule: str
    statement: str
    outcome: Outcome
    reason: str = ""  # why the rule was not run, or was cut short
    by_options: bool = False  # not run because of the run's own options (--read-only, ...)
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
    read_only: bool = False
    seconds: float = 0.0
    fixed: list[str] = field(default_factory=list)  # baseline entries no finding matched
    strict_baseline: bool = False  # a FIXED entry fails the run

    @classmethod
    def from_json(cls, data: dict) -> RunReport:
        """The report back from its JSON form (`conformance.reports.json_report`)."""
        results = [
            RuleResult(**{
                **result,
                "outcome": Outcome(result["outcome"]),
                "findings": [
                    Finding(**{**finding, "evidence": [Evidence(**item) for item in finding["evidence"]]})
                    for finding in result["findings"]
                ],
            })
            for result in data["results"]
        ]
        plain = ("base_url", "tenant", "other_tenant", "seed", "prefix", "interrupted", "read_only", "seconds",
                 "fixed", "strict_baseline")
        remaining = [(item["tenant"], item["name"], item["why"]) for item in data["remaining"]]
        return cls(**{key: data[key] for key in plain}, results=results, remaining=remaining)

    @property
    def failed(self) -> list[RuleResult]:
        return [result for result in self.results if result.outcome is Outcome.FAIL]

    @property
    def unjudged(self) -> list[str]:
        """Why the run is not complete: each rule cut short, or not run for a reason other
        than the run's own options, and an interruption."""
        reasons = [
            f"{result.rule}: {result.reason}"
            for result in self.results
            if result.outcome is Outcome.INCOMPLETE or (result.outcome is Outcome.NOT_RUN and not result.by_options)
        ]
        return (["the run was interrupted"] if self.interrupted else []) + reasons

    @property
    def verdict(self) -> Verdict:
        if self.failed or (self.strict_baseline and self.fixed):
            return Verdict.DOES_NOT_CONFORM
        return Verdict.INCOMPLETE if self.unjudged else Verdict.CONFORMS

    @property
    def exit_code(self) -> int:
        return self.verdict.exit_code
