"""Scenario rules: per-request delays and faults a test switches on and off.

A rule (its JSON shape is ``Rule`` in ``mock-admin.yaml``) matches a request by operation
(operationId, or method and path template), tenant, sandbox, body fields and a probability;
its effects are a delay, a canned answer, a dropped connection, or a changed status after the
real handler ran. ``times`` limits it to the next N matches. The first matching rule applies.
"""

from __future__ import annotations

import json
import random
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator
from jsonschema.exceptions import best_match

from handlers.errors import ApiError
from handlers.mock_admin.examples import ContractExamples, Operation

MAX_RULES = 200


@dataclass
class Rule:
    spec: dict
    remaining: int | None = field(default=None)

    @property
    def match(self) -> dict:
        return self.spec.get("match", {})

    def needs_body(self) -> bool:
        return bool(self.match.get("body"))

    def applies(self, operation: Operation, tenant: str | None, sandbox: str | None, body: Any) -> bool:
        match = self.match
        if self.remaining == 0:
            return False
        if "operation" in match and match["operation"] != operation.operation_id:
            return False
        if "method" in match and match["method"].upper() != operation.method:
            return False
        if "path" in match and match["path"] != operation.path:
            return False
        if "tenant" in match and match["tenant"] != (tenant or "root"):
            return False
        if "sandbox" in match and match["sandbox"] != sandbox:
            return False
        if self.needs_body() and not (isinstance(body, dict) and all(
                key in body and body[key] == value for key, value in match["body"].items())):
            return False
        return random.random() < self.spec.get("probability", 1.0)

    def delay_seconds(self) -> float:
        delay = self.spec.get("delay_ms", 0)
        if isinstance(delay, list):
            delay = random.uniform(delay[0], delay[1])
        return delay / 1000

    def shown(self) -> dict:
        return {**self.spec, "remaining": self.remaining}


class RulesTable:
    """The rules in force, in order; replaced as a whole, checked against the contract."""

    def __init__(self, examples: ContractExamples) -> None:
        self.examples = examples
        self._rules: list[Rule] = []
        self._lock = threading.Lock()

    def __bool__(self) -> bool:
        return bool(self._rules)

    def replace(self, specs: list[dict]) -> None:
        specs = without_counts(specs)
        rules = [Rule(self._checked(number, spec), spec.get("times")) for number, spec in enumerate(specs)]
        with self._lock:
            self._rules = rules

    def clear(self) -> None:
        self.replace([])

    def shown(self) -> list[dict]:
        with self._lock:
            return [rule.shown() for rule in self._rules]

    def needs_body(self, operation_id: str) -> bool:
        return any(rule.needs_body() and rule.match.get("operation", operation_id) == operation_id for rule in self._rules)

    def first_match(self, operation_id: str, tenant: str | None, sandbox: str | None, body: Any) -> Rule | None:
        """The first rule that applies (its ``times`` counted down), or None."""
        operation = self.examples.operations.get(operation_id)
        if operation is None:
            return None
        with self._lock:
            for rule in self._rules:
                if rule.applies(operation, tenant, sandbox, body):
                    if rule.remaining is not None:
                        rule.remaining -= 1
                    return rule
        return None

    def _checked(self, number: int, spec: dict) -> dict:
        """What the schema cannot say: known operations, one answer effect, a sane delay range."""
        where = f"rule {number}"
        operation_id = spec.get("match", {}).get("operation")
        if operation_id is not None and operation_id not in self.examples.operations:
            known = ", ".join(sorted(self.examples.operations))
            raise ApiError(400, f"{where}: unknown operation '{operation_id}' (known: {known})")
        answers = [key for key in ("status", "drop", "status_after") if spec.get(key) not in (None, False)]
        if len(answers) > 1:
            raise ApiError(400, f"{where}: choose one of status, drop and status_after (got {', '.join(answers)})")
        if "example" in spec and "status" not in spec:
            raise ApiError(400, f"{where}: 'example' needs 'status'")
        delay = spec.get("delay_ms")
        if isinstance(delay, list) and delay[0] > delay[1]:
            raise ApiError(400, f"{where}: delay_ms range [{delay[0]}, {delay[1]}] must go from low to high")
        if not answers and delay is None:
            raise ApiError(400, f"{where}: no effect (give delay_ms, status, drop or status_after)")
        return spec


def without_counts(specs: list) -> list:
    """Rules as ``GET /__mock/rules`` shows them are accepted back: ``remaining`` is read-only."""
    return [{key: value for key, value in spec.items() if key != "remaining"} if isinstance(spec, dict) else spec
            for spec in specs]


def load_rules_file(path: str | Path, ruleset_schema: dict) -> list[dict]:
    """The rules of ``--rules FILE`` (a JSON list, ``RuleSet`` of ``mock-admin.yaml``); ``ValueError`` says what is wrong."""
    try:
        specs = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"{path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ValueError(f"{path}: invalid JSON ({exc})") from None
    specs = without_counts(specs) if isinstance(specs, list) else specs
    problem = best_match(Draft4Validator(ruleset_schema).iter_errors(specs))
    if problem is not None:
        where = "/".join(str(part) for part in problem.absolute_path) or "the top level"
        raise ValueError(f"{path}: at {where}: {problem.message[:300]}")
    return specs
