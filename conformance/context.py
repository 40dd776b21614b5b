"""The context one rule runs in, and through which it hands back what it found.

A rule gets a fresh `RuleContext`. It reads the run's shared state through it (`api`,
`options`, `contract`, `recipe`, `prefix`) and hands back, through it only:

* `findings`: one `Finding` per distinct defect (by kind: the violation's class, and the
  instance of it a rule tells apart, e.g. Schemathesis' operation and check), each with its
  evidence, counterexample and reproduction, at most `MAX_FINDINGS` of them. A violation
  raised in a scenario or an example is recorded and the rule goes on; `report` records one
  without stopping;
* `notes`: remarks for the report ("time budget reached after 12 examples");
* `transcript`: the requests of the scenario running now (reproductions are built from it).

`NotRun` is what a rule raises when the target or the options leave it nothing to check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from conformance.api import ModelsApi
from conformance.client import Exchange
from conformance.contract import Contract
from conformance.curl import curl_script
from conformance.model_types import ModelRecipe
from conformance.options import KitOptions
from conformance.properties import check_property
from conformance.results import Evidence, Finding
from conformance.run_context import RunContext
from conformance.tracker import addressable
from conformance.violations import CONTRACT_DOC, ContractViolation, FindingsLeftOff

# Findings one rule reports; past it, one more says how many were left off (output stays bounded).
MAX_FINDINGS = 20


class NotRun(Exception):
    """The rule could not be checked; the message says why (shown as "not run").

    `by_options`: the run's own options exclude it (--no-schema, ...); otherwise the verdict
    cannot be CONFORMS, since something selected was not judged.
    """

    def __init__(self, why: str, *, by_options: bool = False) -> None:
        super().__init__(why)
        self.by_options = by_options


class RuleContext:
    def __init__(self, run: RunContext, rule_name: str, clause: str, deadline: float) -> None:
        self.run = run
        self.rule_name = rule_name
        self.clause = clause  # the rule's own clause, for violations that carry none
        self.deadline = deadline  # generated examples stop here; explicit cases always run
        self.api = ModelsApi(run.client, run.tracker, run.recipe)
        self.transcript: list[Exchange] = []
        self.notes: list[str] = []
        self.findings: list[Finding] = []
        self.failing_transcript: list[Exchange] = []  # the last scenario that raised
        self._kinds: set[tuple[str, str]] = set()  # (defect, instance) of each finding reported
        self.left_off = 0  # distinct findings past MAX_FINDINGS
        self.cut_short = ""  # why the rule stopped before checking all it meant to (the budget)

    # --- the run's state, as rules read it ----------------------------------------------------

    @property
    def options(self) -> KitOptions:
        return self.run.options

    @property
    def contract(self) -> Contract:
        return self.run.contract

    @property
    def recipe(self) -> ModelRecipe | None:
        return self.run.recipe

    @property
    def prefix(self) -> str:
        return self.run.prefix

    def require_recipe(self) -> ModelRecipe:
        """The learned type; a rule that must create models cannot go on without one."""
        if self.run.recipe_problem is not None:
            raise self.run.recipe_problem
        if self.run.recipe is None:
            raise NotRun("no model type whose configuration the kit can build; pass --dtype and --configuration")
        return self.run.recipe

    def name(self, suffix: str = "") -> str:
        """A model name under the run's prefix, tagged with the rule that uses it."""
        return f"{self.prefix}{self.rule_name}-{suffix}"

    def other_api(self) -> ModelsApi:
        if self.options.other_tenant is None:
            raise NotRun("needs a second tenant (--other-tenant)", by_options=True)
        return self.api.as_tenant(self.options.other_tenant)

    # --- what the rule hands back -------------------------------------------------------------

    def note(self, text: str) -> None:
        self.notes.append(text)

    def stop_short(self, why: str) -> None:
        """The time budget ended the rule before it checked all it meant to."""
        self.cut_short = why

    def known(self, defect: str) -> bool:
        return any(finding.defect == defect for finding in self.findings)

    def report(
        self,
        violation: ContractViolation,
        *,
        counterexample: str = "",
        transcript: list[Exchange] | None = None,
        reproduction: str = "",
        instance: str = "",
    ) -> bool:
        """Record a defect and keep going; only the first of each kind is kept. True if it was new.

        The kind is the defect, and `instance` for a rule whose one defect has distinct
        instances (each its own finding, so a baseline entry covers only those it names).
        `transcript` is the requests that showed it (default: the scenario's so far). Its
        evidence is the violation's own exchanges, else the last of those requests; its
        reproduction all of them, unless one is given.
        """
        if (violation.defect, instance) in self._kinds:
            return False
        self._kinds.add((violation.defect, instance))
        if len(self.findings) >= MAX_FINDINGS:
            self._leave_off()
            return True
        transcript = list(self.transcript if transcript is None else transcript)
        evidence = violation.evidence or transcript[-1:]
        clause = violation.clause or self.clause
        self.findings.append(Finding(
            defect=violation.defect,
            message=violation.message,
            operation=violation.operation or (evidence[-1].operation if evidence else ""),
            expected=violation.expected,
            actual=violation.actual,
            clause=f"{CONTRACT_DOC} {clause}" if clause else "",
            evidence=[Evidence.of(exchange) for exchange in evidence],
            counterexample=counterexample,
            reproduction=reproduction or curl_script(transcript),
        ))
        return True

    def _leave_off(self) -> None:
        """Count a finding past the limit, in the one finding that stands for all of them."""
        self.left_off += 1
        summary = FindingsLeftOff(f"{self.left_off} more distinct findings of this rule are not shown "
                                  f"(at most {MAX_FINDINGS} are reported per rule)", actual=str(self.left_off))
        if self.left_off == 1:
            clause = f"{CONTRACT_DOC} {self.clause}" if self.clause else ""
            self.findings.append(Finding(defect=summary.defect, message="", clause=clause))
        self.findings[-1].message, self.findings[-1].actual = summary.message, summary.actual

    def record(self, exchange: Exchange) -> None:
        """The client's listener while the rule runs."""
        self.transcript.append(exchange)
        if exchange.status is not None:
            self.run.exchanges.append((self.rule_name, exchange))

    # --- scenarios and properties -------------------------------------------------------------

    def scenario(self, steps: Callable[[], None], *, counterexample: str = "") -> None:
        """Run fixed steps as one reproducible scenario; a violation is recorded, not raised."""
        try:
            self.attempt(steps)
        except ContractViolation as violation:
            self.report(violation, counterexample=counterexample, transcript=self.failing_transcript)

    def attempt(self, steps: Callable[[], None]) -> None:
        """Run steps with a fresh transcript, kept if they raise; every model they created is
        deleted afterwards."""
        self.transcript.clear()
        before = set(self.run.tracker.tracked())
        try:
            steps()
        except Exception:
            self.failing_transcript = list(self.transcript)
            raise
        finally:
            self._discard_since(before)

    def for_all(
        self, example: Callable[..., None], *, explicit: Sequence[dict[str, Any]] = (), **strategies: Any
    ) -> None:
        """Check `example` on each explicit case, then as a Hypothesis property over `strategies`.

        Explicit cases run first on every run, whatever the budget: the plainest instance of
        each defect the rule exists for, so no seed can miss it. Generated examples are
        seeded, bounded by --examples and the rule's deadline, and shrunk to the smallest that
        shows a defect; after each new defect generation starts again, passing over the defects
        already found, until no new one appears (see `conformance.properties`).
        """
        for case in explicit:
            shown = ", ".join(f"{key}={value!r}" for key, value in case.items())
            self.scenario(lambda case=case: example(**case), counterexample=f"Explicit case: {example.__name__}({shown})")
        check_property(self, example, strategies, examples=self.options.examples, run_seed=self.run.seed)

    def _discard_since(self, before: set[tuple[str | None, str]]) -> None:
        for tenant, name in self.run.tracker.tracked():
            if (tenant, name) in before or not addressable(name):
                continue  # what no URL can name is left to the final cleanup, which reports it
            try:
                if self.api.as_tenant(tenant).delete(name).status == 404:
                    self.run.tracker.deleted(tenant, name)
            except ContractViolation:
                pass  # stays tracked; the final cleanup retries and reports it

