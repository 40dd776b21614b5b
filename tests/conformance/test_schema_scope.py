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


def test_generated_calls_carry_no_framing_headers():
    """The HTTP server, not the API, answers a request whose framing is junk (uvicorn: 400)."""
    scope = RunScope(PREFIX, None, Tracker(PREFIX, {None}), None)
    case = generated("/models/types/{name}", "GET", name="openai")
    case.headers = {"transfer-encoding": "#^e0}", "Content-Length": "5", "Host": "elsewhere", "Connection": "x",
                    "X-Tenant-Name": "elsewhere", "X-Generated": "kept", "Content-Type": "text/plain"}

    scope.before_call(None, case, {})

    assert case.headers == {"X-Generated": "kept", "Content-Type": "text/plain"}
