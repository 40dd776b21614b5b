"""The rule registry: names, duplicates, docstrings.

``PINNED_RULES`` is the one hand-written list of the kit's rules in the tests: every other test
takes the names from the registry (``tests.kit.RULE_NAMES``), so a rule added, renamed or lost
fails here, once, by name.
"""

from __future__ import annotations

import pytest

import conformance.rules  # noqa: F401  (registers the rules)
from conformance.registry import RULES, DuplicateRule, Registry, Rule

PINNED_RULES = {
    "schema_conformance", "response_schema", "partial_update", "null_means_unchanged",
    "immutable_fields", "timestamps", "name_conflicts", "name_rules", "configuration_validated",
    "not_found", "tenant_isolation", "auth", "secrets", "delete",
    "type_schema", "type_actions", "health_public", "health_tenant_scoped",
    "create_stored", "stored_data_readable", "length_limits", "method_not_allowed",
}


def test_every_rule_of_the_contract_is_registered_under_its_agreed_name() -> None:
    assert set(RULES.names()) == PINNED_RULES


def test_each_rule_states_its_contract_clause_in_one_line() -> None:
    for rule in RULES:
        assert "docs/contract.md §" in rule.statement, rule.name
        assert rule.clause.startswith("§"), rule.name
        assert "\n" not in rule.statement


def test_registering_a_second_rule_under_a_taken_name_is_refused() -> None:
    registry = Registry()

    @registry.rule()
    def some_property(kit) -> None:  # noqa: ANN001
        """Holds (docs/contract.md §7.3)."""

    with pytest.raises(DuplicateRule):
        registry.add(Rule("some_property", some_property, "Holds (docs/contract.md §7.3).", True, False))
    assert registry.names() == ["some_property"]


def test_a_rule_without_docstring_is_refused() -> None:
    registry = Registry()
    with pytest.raises(ValueError):

        @registry.rule()
        def undocumented(kit) -> None:  # noqa: ANN001
            pass

    assert len(registry) == 0


def test_tenant_isolation_needs_a_second_tenant_and_read_only_rules_are_few() -> None:
    assert RULES.get("tenant_isolation").needs_other_tenant
    assert RULES.get("health_tenant_scoped").needs_other_tenant
    readable = {rule.name for rule in RULES if rule.reads_only}
    assert readable == {"schema_conformance", "response_schema", "not_found", "auth", "type_schema"}


def test_response_schema_runs_after_every_rule_that_probes() -> None:
    """It judges the answers the earlier rules received: before them it would judge nothing."""
    assert RULES.get("response_schema").after_run
    assert RULES.names()[-1] == "response_schema"


def test_after_run_checks_run_last_whatever_their_registration_order() -> None:
    registry = Registry()

    @registry.rule(after_run=True)
    def judges_everything(ctx) -> None:  # noqa: ANN001
        """Holds afterwards (docs/contract.md §1)."""

    @registry.rule()
    def probes(ctx) -> None:  # noqa: ANN001
        """Holds (docs/contract.md §2)."""

    assert registry.names() == ["probes", "judges_everything"]
    assert [rule.clause for rule in registry] == ["§2", "§1"]
