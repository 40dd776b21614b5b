"""Everything one run shares: the target, the learned model type, the budget, the transcript.

Rules receive the `Kit`. It sends through one recording client, creates names under the run's
unique prefix, runs Hypothesis properties with the run's seed and budget, and remembers the
requests of the last failing example so the report can print them as curl commands.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

import hypothesis
from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings

from conformance.api import TYPE, ModelsApi
from conformance.budget import Budget
from conformance.client import GRACE, Client, Exchange, RunOutOfTime, parse_json
from conformance.contract import Contract
from conformance.errors import BadOption, KeyRejected, TargetUnreachable
from conformance.model_types import ModelRecipe, choose_recipe, recipe_from_override
from conformance.options import KitOptions
from conformance.registry import NotRun
from conformance.tracker import Tracker, addressable, new_run_prefix
from conformance.violations import ContractViolation, NoAnswer


class BudgetSpent(BaseException):
    """Stops a Hypothesis run when the rule's share of `--max-time` is used up.

    A `BaseException`, so Hypothesis lets it through instead of treating it as a failure.
    """


class Kit:
    def __init__(self, options: KitOptions, contract: Contract) -> None:
        self.options = options
        self.contract = contract
        self.prefix = new_run_prefix()
        self.seed = options.seed if options.seed is not None else random.randrange(2**32)
        run_tenants = {options.tenant} | ({options.other_tenant} if options.other_tenant else set())
        self.tracker = Tracker(self.prefix, run_tenants)
        self.client = Client.open(options.base_url, options.token, options.tenant, options.timeout)
        self.client.listeners.extend([self._record, self._observe])
        self.budget = Budget(options.max_time)
        self.client.limits.end_run_at(self.budget.started + options.max_time + GRACE)
        self.rule_name = ""
        self.rule_deadline = float("inf")
        self.transcript: list[Exchange] = []
        self.failing_transcript: list[Exchange] = []
        self.failing_curl = ""  # a ready reproduction, when a rule has one (Schemathesis)
        self.notes: list[str] = []
        self.observed: list[tuple[str, Exchange, list[str]]] = []
        self.recipe: ModelRecipe | None = None
        self.recipe_problem: ContractViolation | None = None
        self.api = ModelsApi(self.client, self.tracker, None)

    # --- start-up -----------------------------------------------------------------------------

    def preflight(self) -> None:
        """Make sure the kit can judge the target at all; otherwise a `KitError` (exit 2)."""
        try:
            self._preflight()
        except RunOutOfTime:
            raise BadOption(f"--max-time {self.options.max_time:g} was used up before the target could be checked") from None

    def _preflight(self) -> None:
        try:
            reply = self.client.request("GET", "/models/types/")
        except NoAnswer as exc:
            raise TargetUnreachable(f"{self.options.base_url} is unreachable: {exc}") from exc
        except ContractViolation as exc:
            reply = None
            self.recipe_problem = exc
        if reply is not None and reply.status == 401:
            raise KeyRejected(f"the target answers 401 to the given admin key: {reply.exchange.text[:200]!r}")
        self._check_tenant(self.options.tenant)
        if self.options.other_tenant is not None:
            self._check_tenant(self.options.other_tenant)
        if reply is not None:
            self._learn_recipe(reply)
        self.api = ModelsApi(self.client, self.tracker, self.recipe)
        self.transcript.clear()
        self.observed.clear()

    def _check_tenant(self, tenant: str | None) -> None:
        try:
            status = self.client.as_tenant(tenant).request("GET", "/models/").status
        except ContractViolation:
            return  # a broken listing is for the rules to report
        label = "the default tenant (no X-Tenant-Name)" if tenant is None else f"tenant {tenant!r}"
        if status == 404:
            raise BadOption(f"{label} does not exist on the target")
        if status == 403:
            raise BadOption(f"{label} is inactive on the target")
        if status == 400:
            raise BadOption(f"the target requires a tenant header: pass --tenant ({label} refused)")

    def _learn_recipe(self, reply: Any) -> None:
        options = self.options
        if options.dtype is not None and options.configuration is not None:
            schema: dict[str, Any] = {}
            try:
                found = self.client.request("GET", TYPE, name=options.dtype)
                if found.status == 200 and isinstance(found.json().get("config_schema"), dict):
                    schema = found.json()["config_schema"]
            except ContractViolation:
                pass
            self.recipe = recipe_from_override(options.dtype, options.configuration, schema, self.contract.secrets)
            return
        try:
            types = reply.expect(200, why="listing model types")
        except ContractViolation as exc:
            self.recipe_problem = exc
            return
        if not isinstance(types, list):
            self.recipe_problem = ContractViolation(f"GET /models/types/ is not a list: {types!r:.200}")
            return
        if options.dtype is not None:
            types = [item for item in types if isinstance(item, dict) and item.get("name") == options.dtype]
            if not types:
                raise BadOption(f"--dtype {options.dtype!r} is not among the target's model types")
        self.recipe = choose_recipe(types, self.prefix.rstrip("-"), self.contract.secrets)

    def require_recipe(self) -> ModelRecipe:
        """The learned type; a rule that must create models cannot go on without one."""
        if self.recipe_problem is not None:
            raise self.recipe_problem
        if self.recipe is None:
            raise NotRun("no model type whose configuration the kit can build; pass --dtype and --configuration")
        return self.recipe

    # --- names, tenants -----------------------------------------------------------------------

    def name(self, suffix: str = "") -> str:
        """A model name under the run's prefix, tagged with the rule that uses it."""
        return f"{self.prefix}{self.rule_name}-{suffix}"

    def other_api(self) -> ModelsApi:
        if self.options.other_tenant is None:
            raise NotRun("needs a second tenant (--other-tenant)")
        return self.api.as_tenant(self.options.other_tenant)

    # --- listeners ----------------------------------------------------------------------------

    def _record(self, exchange: Exchange) -> None:
        self.transcript.append(exchange)

    def _observe(self, exchange: Exchange) -> None:
        """Validate every answer the probes get against the contract (the response_schema rule)."""
        if exchange.status is None:
            return
        try:
            body = parse_json(exchange.text) if exchange.text else None
        except ValueError:
            problems = [f"body is not JSON: {exchange.text[:120]!r}"]
        else:
            problems = self.contract.response_problems(exchange.method, exchange.template, exchange.status, body)
        if problems:
            self.observed.append((self.rule_name, exchange, problems))

    # --- properties ---------------------------------------------------------------------------

    def for_all(
        self, example: Callable[..., None], *, explicit: Sequence[dict[str, Any]] = (), **strategies: Any
    ) -> None:
        """Run `example` as a Hypothesis property: seeded, bounded by --examples and the budget.

        `explicit` cases run first on every run, whatever the budget: the plainest instance of
        each defect the rule exists for, so no seed can miss it.

        Models an example creates are deleted when it ends; the failing example's requests are
        kept in `failing_transcript` (Hypothesis replays the minimal example last).
        """
        ran = {"examples": 0, "failed": False}

        @functools.wraps(example)
        def one_example(**kwargs: Any) -> None:
            if not ran["failed"] and time.monotonic() > self.rule_deadline:
                raise BudgetSpent
            ran["examples"] += 1
            try:
                self.scenario(lambda: example(**kwargs))
            except Exception:
                ran["failed"] = True
                raise

        test = given(**strategies)(one_example)
        for case in reversed(explicit):
            test = hypothesis.example(**case)(test)
        test = settings(
            max_examples=self.options.examples,
            deadline=None,
            database=None,
            derandomize=False,
            report_multiple_bugs=False,
            print_blob=False,
            verbosity=Verbosity.normal,  # quiet would drop the falsifying example from __notes__
            suppress_health_check=list(HealthCheck),
            phases=(Phase.explicit, Phase.generate, Phase.shrink),
        )(test)
        test = seed(self.seed)(test)
        try:
            test()
        except BudgetSpent:
            if ran["examples"] == 0:
                raise NotRun("the time budget (--max-time) was used up before this rule") from None
            self.notes.append(f"time budget reached after {ran['examples']} examples")

    def scenario(self, steps: Callable[[], None]) -> None:
        """Run steps as one reproducible scenario: a fresh transcript, kept if they fail, and
        every model they created deleted afterwards."""
        self.transcript.clear()
        before = set(self.tracker.tracked())
        try:
            steps()
        except Exception:
            self.failing_transcript = list(self.transcript)
            raise
        finally:
            self._discard_since(before)

    def _discard_since(self, before: set[tuple[str | None, str]]) -> None:
        for tenant, name in self.tracker.tracked():
            if (tenant, name) in before or not addressable(name):
                continue  # what no URL can name is left to the final cleanup, which reports it
            try:
                if self.api.as_tenant(tenant).delete(name).status == 404:
                    self.tracker.deleted(tenant, name)
            except ContractViolation:
                pass  # stays tracked; the final cleanup retries and reports it

    def close(self) -> None:
        self.client.close()
