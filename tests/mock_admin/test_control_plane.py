"""Issue 7 §1: the control plane under /__mock/: its own contract, key, reset, journal and state."""

from __future__ import annotations

import threading

import httpx
import pytest
import yaml
from openapi_spec_validator import validate

from handlers.current import SERVICE_KEY
from handlers.mock_admin.controls import ADMIN_CONTRACT
from handlers.mock_admin.journal import BODY_LIMIT
from tests.helpers import SECRET, openai_body

SEED = "gpt-4-assistant"


def control(server, key: str | None = "demo-admin-key") -> httpx.Client:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.Client(base_url=server.root_url + "/__mock", headers=headers, timeout=30)


def summary(http: httpx.Client, name: str = SEED, **headers) -> str:
    return http.get(f"/models/{name}", headers=headers).json()["summary"]


def test_the_control_plane_has_its_own_valid_contract_that_the_product_contract_never_mentions():
    admin = yaml.safe_load(ADMIN_CONTRACT.read_text())
    validate(admin)
    assert admin["servers"] == [{"url": "/__mock"}]
    product = (ADMIN_CONTRACT.parent.parent / "bundled" / "openapi.yaml").read_text()
    assert "__mock" not in product and "X-Mock-Session" not in product


def test_its_swagger_ui_and_spec_are_served(fresh_server):
    with control(fresh_server, None) as http:
        assert http.get("/ui/").status_code == 200
        assert http.get("/openapi.json").json()["info"]["title"].endswith("control plane")


def test_it_needs_the_admin_key(fresh_server):
    with control(fresh_server, None) as anonymous, control(fresh_server, "wrong") as wrong:
        assert anonymous.post("/reset").status_code == 401
        assert wrong.get("/requests").status_code == 401
        assert wrong.put("/rules", json=[]).status_code == 401


def test_a_control_key_of_its_own_replaces_the_admin_key(start_server):
    server = start_server(control_key="ctl-secret")
    with control(server) as admin, control(server, "ctl-secret") as own:
        assert admin.get("/requests").status_code == 401
        assert own.get("/requests").status_code == 200
    with server.client() as api:
        assert api.get("/models/").status_code == 200  # the API keeps its admin key
        assert api.get("/models/", headers={"Authorization": "Bearer ctl-secret"}).status_code == 401


def test_reset_puts_everything_back_and_forgets_the_sandboxes(fresh_server):
    with fresh_server.client() as api, control(fresh_server) as ctl:
        original = summary(api)
        api.patch(f"/models/{SEED}", json={"summary": "changed"})
        api.post("/models/", json=openai_body("made-before-reset"))
        api.patch(f"/models/{SEED}", json={"summary": "sandboxed"}, headers={"X-Mock-Session": "s1"})

        assert ctl.post("/reset").status_code == 200

        assert summary(api) == original
        assert api.get("/models/made-before-reset").status_code == 404
        assert ctl.get("/sandboxes").json()["sandboxes"] == []
        assert summary(api, **{"X-Mock-Session": "s1"}) == original


def test_reset_of_one_sandbox_leaves_the_others_and_the_default_state(fresh_server):
    with fresh_server.client() as api, control(fresh_server) as ctl:
        for where in ("a", "b"):
            api.patch(f"/models/{SEED}", json={"summary": where}, headers={"X-Mock-Session": where})
        api.patch(f"/models/{SEED}", json={"summary": "default"})

        assert ctl.post("/reset", params={"sandbox": "a"}).status_code == 200

        assert summary(api, **{"X-Mock-Session": "a"}) != "a"
        assert summary(api, **{"X-Mock-Session": "b"}) == "b"
        assert summary(api) == "default"
        assert ctl.post("/reset", params={"sandbox": "never-used"}).status_code == 404


def test_reset_of_one_tenant_leaves_the_other_tenants(fresh_server):
    with fresh_server.client() as api, control(fresh_server) as ctl:
        acme = {"X-Tenant-Name": "acme"}
        api.post("/models/", json=openai_body("root-extra"))
        api.post("/models/", json=openai_body("acme-extra"), headers=acme)
        acme_before_reset = {item["name"] for item in api.get("/models/", headers=acme).json()}

        assert ctl.post("/reset", params={"tenant": "root"}).status_code == 200

        assert api.get("/models/root-extra").status_code == 404
        assert {item["name"] for item in api.get("/models/", headers=acme).json()} == acme_before_reset
        assert ctl.post("/reset", params={"tenant": "no-such-tenant"}).status_code == 404


def test_reset_with_a_data_file_is_durable(start_server, tmp_path):
    data = tmp_path / "state.json"
    server = start_server(data_path=data)
    with server.client() as api, control(server) as ctl:
        original = summary(api)
        api.patch(f"/models/{SEED}", json={"summary": "on disk"})
        assert ctl.post("/reset").status_code == 200
    server.stop()
    server.app.app.extensions[SERVICE_KEY].store.close()  # as a stopped process would
    restarted = start_server(data_path=data)
    with restarted.client() as api:
        assert summary(api) == original


def test_the_journal_lists_requests_newest_first_with_filters(fresh_server):
    with fresh_server.client() as api, control(fresh_server) as ctl:
        api.get(f"/models/{SEED}")
        api.patch(f"/models/{SEED}", json={"summary": "journaled"}, headers={"X-Mock-Session": "j"})
        api.get("/models/nope", headers={"X-Tenant-Name": "acme"})

        entries = ctl.get("/requests").json()
        assert [entry["method"] for entry in entries[:3]] == ["GET", "PATCH", "GET"]
        newest = entries[0]
        assert (newest["path"], newest["status"], newest["tenant"], newest["operation"]) == \
            ("/api/v1/models/nope", 404, "acme", "getModel")
        assert newest["response_body"] == {"detail": "Model 'nope' not found"}
        assert isinstance(newest["ms"], float)
        patch = ctl.get("/requests", params={"method": "patch"}).json()
        assert len(patch) == 1 and patch[0]["sandbox"] == "j" and patch[0]["request_body"] == {"summary": "journaled"}
        assert [e["status"] for e in ctl.get("/requests", params={"status": 404}).json()] == [404]
        assert len(ctl.get("/requests", params={"sandbox": "-"}).json()) == 2
        assert len(ctl.get("/requests", params={"path": "nope"}).json()) == 1
        assert len(ctl.get("/requests", params={"limit": 1}).json()) == 1

        assert ctl.delete("/requests").status_code == 200
        assert ctl.get("/requests").json() == []


def test_the_journal_conceals_secrets_of_request_bodies(fresh_server):
    with fresh_server.client() as api, control(fresh_server) as ctl:
        api.post("/models/", json=openai_body("secret-holder"))
        api.post("/models/", json=openai_body("huge", summary="s" * 20_000))
        api.post("/models/", content=b'{"configuration": {"api_key": "' + SECRET.encode() + b'"', headers={
            "Content-Type": "application/json"})
        text = ctl.get("/requests").text
    assert SECRET not in text
    assert SECRET[3:] not in text


def test_the_journal_is_a_bounded_ring_and_keeps_bounded_bodies(start_server):
    server = start_server(journal_size=5)
    with server.client() as api, control(server) as ctl:
        for number in range(12):
            api.get(f"/models/ring-{number}")
        api.patch(f"/models/{SEED}", json={"summary": "x" * 9000})
        entries = ctl.get("/requests").json()
    assert len(entries) == 5
    assert entries[-1]["path"] == "/api/v1/models/ring-8"
    assert len(entries[0]["request_body"]) <= BODY_LIMIT + 20
    assert len(entries[0]["response_body"]) <= BODY_LIMIT + 20


@pytest.mark.parametrize("params", [{"status": "abc"}, {"limit": 0}, {"limit": 10**6}, {"path": "p" * 5000}])
def test_journal_filters_refuse_malformed_values(fresh_server, params):
    with control(fresh_server) as ctl:
        assert ctl.get("/requests", params=params).status_code == 400


def test_state_export_and_import_set_up_a_scenario_in_one_call(fresh_server):
    with fresh_server.client() as api, control(fresh_server) as ctl:
        state = ctl.get("/state").json()
        assert {"tenants", "model_types", "models"} == set(state)
        state["models"] = [model for model in state["models"] if model["tenant"] != "root"]
        state["models"].append({"tenant": "root", "name": "only-one", "dtype": "openai",
                                "configuration": {"api_key": "sk-imported-123456"}, "created_at": "2024-05-01T00:00:00Z"})

        assert ctl.put("/state", json=state).status_code == 200

        assert [item["name"] for item in api.get("/models/").json()] == ["only-one"]
        assert ctl.get("/state").json()["models"][-1]["configuration"]["api_key"] == "sk-imported-123456"
        assert ctl.put("/state", json=state, params={"sandbox": "imp"}).status_code == 200
        assert ctl.get("/state", params={"sandbox": "imp"}).status_code == 200
        assert ctl.get("/state", params={"sandbox": "unknown"}).status_code == 404


@pytest.mark.parametrize("change, problem", [
    (lambda state: state["models"].append(dict(state["models"][0])), "duplicate name"),
    (lambda state: state["models"][0].update(dtype="nope"), "unknown dtype 'nope'"),
    (lambda state: state["models"][0].pop("created_at"), "created_at"),
    (lambda state: state["models"][0].update(tenant="ghost"), "unknown tenant"),
])
def test_an_invalid_state_is_refused_naming_the_entry_and_changes_nothing(fresh_server, change, problem):
    with fresh_server.client() as api, control(fresh_server) as ctl:
        state = ctl.get("/state").json()
        change(state)
        before = api.get("/models/").json()

        response = ctl.put("/state", json=state)

        assert response.status_code == 400
        assert "state.models: entry" in response.json()["detail"] and problem in response.json()["detail"]
        assert api.get("/models/").json() == before


@pytest.mark.parametrize("body", [[], {"tenants": []}, {"tenants": [], "model_types": [], "models": [], "x": 1}, "text"])
def test_a_malformed_state_is_422(fresh_server, body):
    with control(fresh_server) as ctl:
        assert ctl.put("/state", json=body).status_code == 422


def test_concurrent_resets_imports_and_writes_leave_a_consistent_state(fresh_server):
    with control(fresh_server) as ctl:
        state = ctl.get("/state").json()
    errors: list[str] = []

    def hammer(number: int) -> None:
        with fresh_server.client() as api, control(fresh_server) as ctl:
            for round_ in range(5):
                responses = [ctl.post("/reset"), ctl.put("/state", json=state),
                             api.post("/models/", json=openai_body(f"c-{number}-{round_}")),
                             api.get("/models/")]
                errors.extend(f"{r.request.method} {r.request.url.path}: {r.status_code}"
                              for r in responses if r.status_code >= 500)

    threads = [threading.Thread(target=hammer, args=(number,)) for number in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with fresh_server.client() as api:
        names = [item["name"] for item in api.get("/models/").json()]
    assert len(names) == len(set(names))


def test_the_root_redirects_to_the_swagger_ui(fresh_server):
    response = httpx.get(fresh_server.root_url + "/", headers={"Authorization": "Bearer demo-admin-key"})
    assert response.status_code == 307
    assert response.headers["location"] == "/api/v1/ui/"


@pytest.mark.parametrize("params", [{"sandbox": "bad id"}, {"sandbox": "s" * 65}, {"tenant": "t" * 300}, {"tenant": ""}])
def test_reset_refuses_malformed_parameters_and_changes_nothing(fresh_server, params):
    with fresh_server.client() as api, control(fresh_server) as ctl:
        api.patch(f"/models/{SEED}", json={"summary": "kept"})
        assert ctl.post("/reset", params=params).status_code == 400
        assert summary(api) == "kept"


def test_an_oversized_state_is_refused_and_changes_nothing(fresh_server):
    with fresh_server.client() as api, control(fresh_server) as ctl:
        before = api.get("/models/").json()
        filler = [{"name": f"t{number}", "active": True} for number in range(60_000)]
        response = ctl.put("/state", json={"tenants": filler, "model_types": [], "models": []})
        assert response.status_code in (413, 422)
        assert api.get("/models/").json() == before
