"""Issue 7 §1 and §2: scenario rules (PUT/GET/DELETE /__mock/rules, --rules) and Prefer."""

from __future__ import annotations

import json
import threading

import httpx
import pytest

from handlers.mock_admin.controls import ruleset_schema
from handlers.mock_admin.scenarios import load_rules_file
from tests.helpers import openai_body

SEED = "gpt-4-assistant"


@pytest.fixture
def ctl(fresh_server):
    with httpx.Client(base_url=fresh_server.root_url + "/__mock", timeout=30,
                      headers={"Authorization": "Bearer demo-admin-key"}) as http:
        yield http


@pytest.fixture
def api(fresh_server):
    with fresh_server.client() as http:
        yield http


def journal_entry(ctl: httpx.Client, **filters) -> dict:
    return ctl.get("/requests", params={**filters, "limit": 1}).json()[0]


def test_rules_are_replaced_listed_and_removed(ctl):
    rules = [{"id": "slow", "match": {"operation": "listModels"}, "delay_ms": 1},
             {"match": {"method": "PATCH", "path": "/models/{name}"}, "status": 503, "times": 2}]
    assert ctl.put("/rules", json=rules).status_code == 200
    assert ctl.get("/rules").json() == [{**rules[0], "remaining": None}, {**rules[1], "remaining": 2}]
    assert ctl.put("/rules", json=ctl.get("/rules").json()).status_code == 200  # what GET shows goes back
    assert ctl.delete("/rules").status_code == 200
    assert ctl.get("/rules").json() == []


def test_a_status_rule_answers_the_contracts_example_without_touching_state(ctl, api):
    ctl.put("/rules", json=[{"match": {"operation": "createModel"}, "status": 409}])
    response = api.post("/models/", json=openai_body("never-made"))
    assert response.status_code == 409
    assert response.json() == {"detail": "Model 'claude-writer' already exists for this tenant"}
    ctl.delete("/rules")
    assert api.get("/models/never-made").status_code == 404


def test_a_status_rule_with_a_body_and_only_for_the_next_n_matches(ctl, api):
    ctl.put("/rules", json=[{"match": {"operation": "listModels"}, "status": 503, "body": {"detail": "down"}, "times": 2}])
    statuses = [api.get("/models/").status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert ctl.get("/rules").json()[0]["remaining"] == 0


def test_matching_on_tenant_sandbox_and_a_body_field(ctl, api):
    ctl.put("/rules", json=[
        {"match": {"operation": "createModel", "body": {"name": "boom"}}, "status": 500},
        {"match": {"operation": "listModels", "tenant": "acme"}, "status": 502},
        {"match": {"operation": "getModel", "sandbox": "s1"}, "status": 504},
    ])
    assert api.post("/models/", json=openai_body("boom")).status_code == 500
    assert api.post("/models/", json=openai_body("fine")).status_code == 201  # the body was replayed intact
    assert api.get("/models/", headers={"X-Tenant-Name": "acme"}).status_code == 502
    assert api.get("/models/").status_code == 200
    assert api.get(f"/models/{SEED}", headers={"X-Mock-Session": "s1"}).status_code == 504
    assert api.get(f"/models/{SEED}", headers={"X-Mock-Session": "s2"}).status_code == 200


def test_probability_zero_never_matches_and_one_always_does(ctl, api):
    ctl.put("/rules", json=[{"match": {"operation": "listModels"}, "probability": 0, "status": 500},
                            {"match": {"operation": "getModel"}, "probability": 1, "status": 500}])
    assert {api.get("/models/").status_code for _ in range(10)} == {200}
    assert {api.get(f"/models/{SEED}").status_code for _ in range(3)} == {500}


def test_a_delay_rule_waits_at_least_its_time_then_answers_normally(ctl, api):
    ctl.put("/rules", json=[{"match": {"operation": "getModel"}, "delay_ms": [150, 200]}])
    assert api.get(f"/models/{SEED}").status_code == 200
    assert journal_entry(ctl, method="GET")["ms"] >= 150


def test_status_after_runs_the_handler_then_changes_the_status(ctl, api):
    ctl.put("/rules", json=[{"match": {"operation": "updateModel"}, "status_after": 500}])
    response = api.patch(f"/models/{SEED}", json={"summary": "applied anyway"})
    assert response.status_code == 500
    ctl.delete("/rules")
    assert api.get(f"/models/{SEED}").json()["summary"] == "applied anyway"


def test_drop_closes_the_connection_without_an_answer(ctl, api):
    ctl.put("/rules", json=[{"match": {"operation": "deleteModel"}, "drop": True}])
    with pytest.raises(httpx.TransportError):
        api.delete(f"/models/{SEED}")
    ctl.delete("/rules")
    assert api.get(f"/models/{SEED}").status_code == 200  # the handler never ran
    assert journal_entry(ctl, method="DELETE")["status"] is None


@pytest.mark.parametrize("rules, status, words", [
    ([{"match": {"operation": "updateModels"}, "status": 500}], 400, "unknown operation 'updateModels'"),
    ([{"status": 500, "drop": True}], 400, "choose one of"),
    ([{"match": {"operation": "getModel"}}], 400, "no effect"),
    ([{"delay_ms": [500, 100]}], 400, "low to high"),
    ([{"example": "x", "delay_ms": 1}], 400, "'example' needs 'status'"),
    ([{"status": 999}], 422, None),
    ([{"delay_ms": 10**9}], 422, None),
    ([{"probability": 2, "status": 500}], 422, None),
    ([{"surprise": 1, "status": 500}], 422, None),
    ([{"status": 500}] * 201, 422, None),
    ({"not": "a list"}, 422, None),
])
def test_invalid_rules_are_refused_and_the_rules_in_force_stay(ctl, rules, status, words):
    kept = [{"match": {"operation": "listModels"}, "delay_ms": 1}]
    ctl.put("/rules", json=kept)

    response = ctl.put("/rules", json=rules)

    assert response.status_code == status, response.text
    if words:
        assert words in response.json()["detail"]
    assert ctl.get("/rules").json() == [{**kept[0], "remaining": None}]


def test_an_oversized_rules_body_is_refused(ctl):
    response = ctl.put("/rules", content=b"[" + b'{"status": 500},' * 2_000 + b"{}]",
                       headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert ctl.get("/rules").json() == []


def test_rules_replaced_while_requests_run_never_break_a_request(ctl, fresh_server):
    errors: list[int] = []
    stop = threading.Event()

    def traffic() -> None:
        with fresh_server.client() as http:
            while not stop.is_set():
                status = http.get(f"/models/{SEED}").status_code
                if status not in (200, 503):
                    errors.append(status)

    workers = [threading.Thread(target=traffic) for _ in range(4)]
    for worker in workers:
        worker.start()
    for round_ in range(30):
        ctl.put("/rules", json=[{"match": {"operation": "getModel"}, "status": 503, "times": 1}] * (round_ % 3))
    stop.set()
    for worker in workers:
        worker.join(timeout=60)
    assert errors == []


def test_a_rules_file_is_checked_like_the_control_plane(tmp_path):
    good = tmp_path / "rules.json"
    good.write_text(json.dumps([{"match": {"operation": "listModels"}, "delay_ms": 5, "remaining": 3}]))
    assert load_rules_file(good, ruleset_schema()) == [{"match": {"operation": "listModels"}, "delay_ms": 5}]
    for text, words in [("[", "invalid JSON"), ('[{"status": 999}]', "at 0/status"), ('{"a": 1}', "top level")]:
        good.write_text(text)
        with pytest.raises(ValueError, match=words):
            load_rules_file(good, ruleset_schema())
    with pytest.raises(ValueError, match="No such file"):
        load_rules_file(tmp_path / "missing.json", ruleset_schema())


def test_rules_given_at_start_are_in_force(start_server):
    server = start_server(rules=[{"match": {"operation": "listModelTypes"}, "status": 503}])
    with server.client() as http:
        assert http.get("/models/types/").status_code == 503
