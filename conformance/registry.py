"""The rule registry: every rule is a function registered once, under the property it checks.

A rule takes a `RuleContext` (`conformance.context`) and hands back what it found through it;
it raises `NotRun` when the target or the options leave it nothing to check. A rule registered
with `after_run=True` is an after-run check: it runs once every other selected rule has run,
and judges the answers they received (`RuleContext.run.exchanges`), whatever the order of
registration.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from conformance.violations import CONTRACT_DOC

RuleCheck = Callable[[Any], None]  # takes the RuleContext


class DuplicateRule(ValueError):
    """A second rule was registered under a name already taken."""


@dataclass(frozen=True)
class Rule:
    name: str
    check: RuleCheck
    statement: str
    writes: bool
    needs_other_tenant: bool
    after_run: bool = False

    @property
    def reads_only(self) -> bool:
        return not self.writes

    @property
    def clause(self) -> str:
        """`§5, §7` from a statement ending "(docs/contract.md §5, §7)"."""
        found = re.search(rf"{re.escape(CONTRACT_DOC)} (§[^)]*)", self.statement)
        return found.group(1) if found else ""


class Registry:
    """Rules in registration order, refusing duplicates."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}

    def add(self, rule: Rule) -> Rule:
        if rule.name in self._rules:
            raise DuplicateRule(f"a rule named {rule.name!r} is already registered")
        if not rule.statement:
            raise ValueError(f"rule {rule.name!r} needs a one-line docstring citing its contract clause")
        self._rules[rule.name] = rule
        return rule

    def rule(
        self, *, writes: bool = True, needs_other_tenant: bool = False, after_run: bool = False
    ) -> Callable[[RuleCheck], RuleCheck]:
        """Register the decorated function as a rule named after it."""

        def register(check: RuleCheck) -> RuleCheck:
            statement = (check.__doc__ or "").strip().splitlines()[0] if check.__doc__ else ""
            self.add(Rule(check.__name__, check, statement, writes, needs_other_tenant, after_run))
            return check

        return register

    def get(self, name: str) -> Rule:
        return self._rules[name]

    def names(self) -> list[str]:
        """In the order they run: after-run checks last."""
        return [rule.name for rule in self]

    def __iter__(self) -> Iterator[Rule]:
        rules = list(self._rules.values())
        return iter([rule for rule in rules if not rule.after_run] + [rule for rule in rules if rule.after_run])

    def __len__(self) -> int:
        return len(self._rules)


RULES = Registry()
rule = RULES.rule
