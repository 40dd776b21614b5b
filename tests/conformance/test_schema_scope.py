"""The Schemathesis phase's scope: generated requests on the UI routes stay inside the run.

A generated action call names an action under the run's prefix, which no deployment has, so
the kit never makes a deployment call a provider (docs/contract.md §9b); generated health
checks name models under the prefix.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from conformance.schema_phase import RunScope
from conformance.tracker import Tracker

PREFIX = "ck-0123456789-"


def generated(path: str, method: str, **path_parameters: str) -> SimpleNamespace:
    return SimpleNamespace(
        headers={"X-Tenant-Name": "elsewhere"}, path_parameters=dict(path_parameters), body={},
        operation=SimpleNamespace(path=path), method=method, meta=None,
    )


@pytest.mark.parametrize("action", ["fetch_available_models", "", "x/y"])
def test_generated_action_calls_name_no_real_action(action):
    scope = RunScope(PREFIX, "acme", Tracker(PREFIX, {"acme"}), None)
    case = generated("/models/types/{dtype}/actions/{action_name}", "POST", dtype="openai", action_name=action)

    scope.before_call(None, case, {})

    assert case.path_parameters["action_name"].startswith(PREFIX)
    assert case.path_parameters["dtype"] == "openai"
    assert case.headers == {"X-Tenant-Name": "acme"}


def test_generated_health_checks_name_models_of_the_run():
    scope = RunScope(PREFIX, None, Tracker(PREFIX, {None}), None)
    case = generated("/models/{name}/health", "GET", name="gpt-4-assistant")

    scope.before_call(None, case, {})

    assert case.path_parameters["name"].startswith(PREFIX)
    assert case.headers == {}
