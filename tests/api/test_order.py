"""docs/contract.md §3.4 and §6.2: the order of checks.

auth 401 → tenant 404/403 → missing tenant header 400 → body validation 422 → model 404 →
name conflict 409; on create, an unknown dtype (400) is checked before the name (409).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.helpers import (
    ADMIN_KEY_REQUIRED,
    assert_401,
    assert_422,
    assert_detail,
    assert_json,
    errors_at,
    snapshot,
)

WRONG_KEY = {"Authorization": "Bearer wrong-key"}
UNKNOWN_TENANT = {"X-Tenant-Name": "nope"}
INACTIVE_TENANT = {"X-Tenant-Name": "dormant"}
TENANT_NOT_FOUND = "Tenant 'nope' not found"

# (id, request built from the names n.own / n.other / n.missing, expected status, expected body)
# expected body: a detail string, a list of (type, loc) for a 422, ADMIN_KEY_REQUIRED, or None (403: any detail)
CASES = [
    ("wrong key + unknown tenant", lambda n: ("GET", f"/models/{n.own}", {**WRONG_KEY, **UNKNOWN_TENANT}, None),
     401, ADMIN_KEY_REQUIRED),
    ("wrong key + inactive tenant", lambda n: ("PATCH", f"/models/{n.own}", {**WRONG_KEY, **INACTIVE_TENANT},
                                               {"summary": "x"}), 401, ADMIN_KEY_REQUIRED),
    ("wrong key + unknown tenant + invalid body", lambda n: ("POST", "/models/", {**WRONG_KEY, **UNKNOWN_TENANT}, {}),
     401, ADMIN_KEY_REQUIRED),
    ("unknown tenant + invalid PATCH body", lambda n: ("PATCH", f"/models/{n.own}", UNKNOWN_TENANT, {}),
     404, TENANT_NOT_FOUND),
    ("unknown tenant + invalid POST body", lambda n: ("POST", "/models/", UNKNOWN_TENANT, {"name": 5}),
     404, TENANT_NOT_FOUND),
    ("unknown tenant + unknown dtype", lambda n: ("POST", "/models/", UNKNOWN_TENANT,
                                                  {"name": n.missing, "dtype": "nope", "configuration": {}}),
     404, TENANT_NOT_FOUND),
    ("unknown tenant + unknown model", lambda n: ("DELETE", f"/models/{n.missing}", UNKNOWN_TENANT, None),
     404, TENANT_NOT_FOUND),
    ("inactive tenant + invalid body", lambda n: ("POST", "/models/", INACTIVE_TENANT, {}), 403, None),
    ("inactive tenant + unknown model", lambda n: ("GET", f"/models/{n.missing}", INACTIVE_TENANT, None), 403, None),
    ("invalid body + unknown model", lambda n: ("PATCH", f"/models/{n.missing}", {}, {"name": 5}),
     422, [("string_type", ["body", "name"])]),
    ("empty body + unknown model", lambda n: ("PATCH", f"/models/{n.missing}", {}, {}),
     422, [("value_error", ["body"])]),
    ("reserved new name + unknown model", lambda n: ("PATCH", f"/models/{n.missing}", {}, {"name": "types"}),
     422, [("value_error", ["body", "name"])]),
    ("invalid field + conflicting name", lambda n: ("PATCH", f"/models/{n.own}", {}, {"name": n.other, "tags": 5}),
     422, [("string_type", ["body", "tags"])]),
    ("unknown model + conflicting name", lambda n: ("PATCH", f"/models/{n.missing}", {}, {"name": n.other}),
     404, "Model '{missing}' not found"),
    ("invalid POST body + unknown dtype", lambda n: ("POST", "/models/", {}, {"name": 5, "dtype": "nope", "configuration": {}}),
     422, [("string_type", ["body", "name"])]),
    ("unknown dtype + taken name", lambda n: ("POST", "/models/", {}, {"name": n.own, "dtype": "nope", "configuration": {}}),
     400, "Model type 'nope' not found"),
    ("configuration against the type's schema + taken name",
     lambda n: ("POST", "/models/", {}, {"name": n.own, "dtype": "openai", "configuration": {"model": "gpt-4"}}),
     422, [("missing", ["body", "configuration", "api_key"])]),
]


@pytest.mark.parametrize("build, status, expected", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_order_of_checks(client, create_model, unique_name, build, status, expected):
    names = SimpleNamespace(own=create_model(unique_name("order"))["name"],
                            other=create_model(unique_name("order"))["name"],
                            missing=unique_name("order-missing"))
    before = snapshot(client, names.own, names.other, names.missing)
    method, path, headers, body = build(names)

    response = client.request(method, path, headers=headers, json=body)

    if expected is ADMIN_KEY_REQUIRED:
        assert_401(response)
    elif isinstance(expected, str):
        assert_detail(response, status, expected.format(**vars(names)))
    elif isinstance(expected, list):
        assert errors_at(assert_422(response)) == expected
    else:
        assert isinstance(assert_json(response, status)["detail"], str)
    assert snapshot(client, names.own, names.other, names.missing) == before
