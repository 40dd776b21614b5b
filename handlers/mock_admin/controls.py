"""The mock's controls in one object: states, journal, scenario rules and the contract's examples."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from handlers.contract import read_yaml
from handlers.mock_admin.examples import ContractExamples
from handlers.mock_admin.journal import Journal
from handlers.mock_admin.scenarios import RulesTable
from handlers.mock_admin.state import MockState

ADMIN_CONTRACT = Path(__file__).resolve().parent / "mock-admin.yaml"
CONTROLS_KEY = "mock_controls"


@dataclass
class Controls:
    state: MockState
    journal: Journal | None
    rules: RulesTable
    examples: ContractExamples


def controls() -> Controls:
    """The controls of the app serving the current request."""
    return current_app.extensions[CONTROLS_KEY]


def ruleset_schema() -> dict:
    """``RuleSet`` of ``mock-admin.yaml`` as a standalone JSON Schema (its ``$ref``s resolve)."""
    document = read_yaml(ADMIN_CONTRACT)
    return {**document["components"]["schemas"]["RuleSet"], "components": document["components"]}
