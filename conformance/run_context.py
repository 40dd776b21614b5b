"""What every rule of one run shares: the target, the learned model type, the budget, the log.

`RunContext` is built once per run (`open_run`): it loads nothing itself, checks the target
can be judged (`preflight`), and learns a model type from the target to create models with.
Rules never see it directly: each gets a `RuleContext` (`conformance.context`) around it.
"""

from __future__ import annotations

import json
import random
from typing import Any

from conformance.api import TYPE
from conformance.budget import Budget
from conformance.client import Client, Exchange, RunOutOfTime
from conformance.contract import Contract
from conformance.errors import BadOption, KeyRejected, TargetUnreachable
from conformance.model_types import ModelRecipe, choose_recipe, recipe_from_override
from conformance.options import KitOptions, tenant_label
from conformance.tracker import Tracker, new_run_prefix
from conformance.violations import ContractViolation, NoAnswer


class RunContext:
    """The run's shared state: 10 attributes, none of them written by rules."""

    def __init__(self, options: KitOptions, contract: Contract) -> None:
        self.options = options
        self.contract = contract
        self.prefix = new_run_prefix()
        self.seed = options.seed if options.seed is not None else random.randrange(2**32)
        run_tenants = {options.tenant} | ({options.other_tenant} if options.other_tenant else set())
        self.tracker = Tracker(self.prefix, run_tenants)
        self.client = Client.open(options.base_url, options.token, options.tenant, options.timeout)
        self.budget = Budget(options.max_time)
        self.client.limits.end_run_at(self.budget.rules_end)
        self.recipe: ModelRecipe | None = None
        self.recipe_problem: ContractViolation | None = None  # why no type could be learned
        # every answer the rules' requests got, with the rule that sent it (for after-run checks)
        self.exchanges: list[tuple[str, Exchange]] = []

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
        if reply is not None and not _models_api_answered(reply.exchange):
            raise BadOption(
                f"probably no Models API at {self.options.base_url}: GET /models/types/ answered "
                f"{reply.status} ({reply.exchange.content_type or 'no content type'}); the base URL is "
                "the API's root, ending in /api/v1 (e.g. http://host:8080/api/v1), not the Swagger UI's URL"
            )
        try:
            self._check_tenant(self.options.tenant)
            if self.options.other_tenant is not None:
                self._check_tenant(self.options.other_tenant)
            if self.options.tenant is not None:
                self._check_tenant_is_heard()
        except NoAnswer:
            pass  # a listing that never ends costs one timeout here, not one per check: the rules report it
        if reply is not None:
            self._learn_recipe(reply)

    def _check_tenant(self, tenant: str | None) -> None:
        try:
            status = self.client.as_tenant(tenant).request("GET", "/models/").status
        except NoAnswer:
            raise
        except ContractViolation:
            return  # a broken listing is for the rules to report
        label = tenant_label(tenant)
        if status == 404:
            raise BadOption(f"{label} does not exist on the target")
        if status == 403:
            raise BadOption(f"{label} is inactive on the target")
        if status == 400:
            raise BadOption(f"the target requires a tenant header: pass --tenant ({label} refused)")

    def _check_tenant_is_heard(self) -> None:
        """--tenant on a target that ignores X-Tenant-Name (a single-tenant deployment) would
        check the default tenant while saying it checked another: refuse."""
        unknown = self.unknown_tenant()
        try:
            status = self.client.as_tenant(unknown).request("GET", "/models/").status
        except NoAnswer:
            raise
        except ContractViolation:
            return
        if status == 200:
            raise BadOption(
                f"the target ignores X-Tenant-Name: the tenant {unknown!r}, which does not exist, was "
                f"answered 200, so --tenant {self.options.tenant!r} would not be the tenant checked "
                "(a single-tenant deployment?); run without --tenant"
            )

    def unknown_tenant(self) -> str:
        """A tenant name no deployment has: this run's prefix."""
        return f"{self.prefix}no-such-tenant"

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
            self.recipe_problem = ContractViolation(
                f"GET /models/types/ is not a list: {types!r:.200}", evidence=[reply.exchange]
            )
            return
        if options.dtype is not None:
            types = [item for item in types if isinstance(item, dict) and item.get("name") == options.dtype]
            if not types:
                raise BadOption(f"--dtype {options.dtype!r} is not among the target's model types")
        self.recipe = choose_recipe(types, self.prefix.rstrip("-"), self.contract.secrets)

    def close(self) -> None:
        self.client.close()


def _models_api_answered(exchange: Exchange) -> bool:
    """Whether GET /models/types/ reached a Models API: the route exists there, and a 200 is
    JSON (a wrong JSON answer is the rules' to judge; an HTML page or a 404 means no API)."""
    if exchange.status in (404, 405):
        return False
    if exchange.status != 200:
        return True
    try:
        json.loads(exchange.text)
    except ValueError:
        return False
    return True

