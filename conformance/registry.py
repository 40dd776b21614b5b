"""The rule registry: every rule is a function registered once, under the property it checks.

A rule takes the `Kit` and raises a `ContractViolation` named after the defect it found, or
`NotRun` when the target or the options leave it nothing to check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conformance.kit import Kit

RuleCheck = Callable[["Kit"], None]


class DuplicateRule(ValueError):
    """A second rule was registered under a name already taken."""


class NotRun(Exception):
    """The rule could not be checked; the message says why (shown as "not run")."""


@dataclass(frozen=True)
class Rule:
    name: str
    check: RuleCheck
    statement: str
    writes: bool
    needs_other_tenant: bool

    @property
    def reads_only(self) -> bool:
        return not self.writes


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

    def rule(self, *, writes: bool = True, needs_other_tenant: bool = False) -> Callable[[RuleCheck], RuleCheck]:
        """Register the decorated function as a rule named after it."""

        def register(check: RuleCheck) -> RuleCheck:
            statement = (check.__doc__ or "").strip().splitlines()[0] if check.__doc__ else ""
            self.add(Rule(check.__name__, check, statement, writes, needs_other_tenant))
            return check

        return register

    def get(self, name: str) -> Rule:
        return self._rules[name]

    def names(self) -> list[str]:
        return list(self._rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)


RULES = Registry()
rule = RULES.rule
