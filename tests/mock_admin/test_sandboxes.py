"""Issue 7 §3: sandboxes (X-Mock-Session, mock_session query or cookie) isolate state per worker."""

from __future__ import annotations

import threading

import httpx
import pytest

from handlers.fixtures import load_seed
from handlers.mock_admin.sandboxes import Sandboxes
from handlers.mock_admin.state import seeded_store
from tests.helpers import openai_body

WORKERS = 16


def summary_of(http: httpx.Client, name: str = "gpt-4-assistant", **headers) -> str:
    response = http.get(f"/models/{name}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["summary"]


@pytest.mark.parametrize("select", [
    {"headers": {"X-Mock-Session": "alice"}},
    {"params": {"mock_session": "alice"}},
    {"headers": {"Cookie": "theme=dark; mock_session=alice"}},
])
def test_a_sandbox_sees_its_own_writes_and_the_default_state_none(fresh_client, select):
    fixture_summary = summary_of(fresh_client)
    headers = {**fresh_client.headers, **select.get("headers", {})}
    with httpx.Client(base_url=fresh_client.base_url, headers=headers, params=select.get("params")) as sandboxed:
        assert summary_of(sandboxed) == fixture_summary  # a private copy of the fixtures
        assert sandboxed.patch("/models/gpt-4-assistant", json={"summary": "alice was here"}).status_code == 200
        assert summary_of(sandboxed) == "alice was here"
    assert summary_of(fresh_client) == fixture_summary
    assert summary_of(fresh_client, **{"X-Mock-Session": "bob"}) == fixture_summary


def test_sixteen_workers_running_the_same_script_see_only_their_own_writes(fresh_client):
    """Each worker creates, renames and deletes models with the same names, in its own sandbox."""
    failures: list[str] = []
    seen: dict[int, list[str]] = {}
    start = threading.Barrier(WORKERS)

    def worker(number: int) -> None:
        with httpx.Client(base_url=fresh_client.base_url, timeout=60,
                          headers={**fresh_client.headers, "X-Mock-Session": f"worker-{number}"}) as http:
            start.wait()
            steps = [
                http.post("/models/", json=openai_body("shared-name", summary=f"by {number}")),
                http.post("/models/", json=openai_body("shared-name")),  # 409 in its own sandbox only
                http.patch("/models/shared-name", json={"name": "shared-renamed", "tags": f"worker-{number}"}),
                http.get("/models/shared-renamed"),
                http.get("/models/"),
                http.delete("/models/shared-renamed"),
                http.get("/models/shared-renamed"),
            ]
            expected = [201, 409, 200, 200, 200, 200, 404]
            statuses = [response.status_code for response in steps]
            if statuses != expected:
                failures.append(f"worker {number}: {statuses}")
            seen[number] = [steps[3].json().get("summary"), steps[3].json().get("tags"),
                            *[item["name"] for item in steps[4].json() if item["name"].startswith("shared")]]

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    assert seen == {number: [f"by {number}", f"worker-{number}", "shared-renamed"] for number in range(WORKERS)}
    assert fresh_client.get("/models/shared-name").status_code == 404  # the default state saw nothing


def test_tenants_names_and_conflicts_work_in_a_sandbox_as_in_the_default_state(fresh_client):
    headers = {"X-Mock-Session": "rules"}
    acme = {**headers, "X-Tenant-Name": "acme"}
    assert fresh_client.post("/models/", json=openai_body("twin"), headers=headers).status_code == 201
    assert fresh_client.post("/models/", json=openai_body("twin"), headers=acme).status_code == 201
    assert fresh_client.post("/models/", json=openai_body("twin"), headers=headers).status_code == 409
    assert fresh_client.get("/models/", headers={**headers, "X-Tenant-Name": "dormant"}).status_code == 403
    assert fresh_client.get("/models/", headers={**headers, "X-Tenant-Name": "nobody"}).status_code == 404
    assert fresh_client.patch("/models/twin", json={}, headers=headers).status_code == 422


@pytest.mark.parametrize("session", ["", "x" * 65, "a b", "ümlaut", "a/b", "a;b"])
def test_a_malformed_sandbox_id_is_400_and_changes_nothing(fresh_client, session):
    request = fresh_client.build_request("PATCH", "/models/gpt-4-assistant", json={"summary": "no"},
                                         params={"mock_session": session})
    before = summary_of(fresh_client)

    response = fresh_client.send(request)

    assert response.status_code == 400
    assert "sandbox id" in response.json()["detail"]
    assert summary_of(fresh_client) == before


def test_the_header_wins_over_the_query_and_the_cookie(fresh_client):
    fresh_client.patch("/models/gpt-4-assistant", json={"summary": "in h"}, headers={"X-Mock-Session": "h"})
    response = fresh_client.get("/models/gpt-4-assistant", params={"mock_session": "q"},
                                headers={"X-Mock-Session": "h", "Cookie": "mock_session=c"})
    assert response.json()["summary"] == "in h"


def test_the_first_use_from_many_threads_at_once_makes_one_sandbox(fresh_client):
    names = [f"same-{number}" for number in range(WORKERS)]
    start = threading.Barrier(WORKERS)

    def create(name: str) -> None:
        with client_for_sandbox(fresh_client, "race") as http:
            start.wait()
            assert http.post("/models/", json=openai_body(name)).status_code == 201

    threads = [threading.Thread(target=create, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    listed = {item["name"] for item in fresh_client.get("/models/", headers={"X-Mock-Session": "race"}).json()}
    assert set(names) <= listed


def client_for_sandbox(http: httpx.Client, session: str) -> httpx.Client:
    return httpx.Client(base_url=http.base_url, headers={**http.headers, "X-Mock-Session": session}, timeout=60)


def test_the_least_recently_used_sandbox_goes_beyond_the_limit(start_server):
    server = start_server(sandbox_limit=2)
    with server.client() as http:
        for session in ("one", "two"):
            http.patch("/models/gpt-4-assistant", json={"summary": session}, headers={"X-Mock-Session": session})
        summary_of(http, **{"X-Mock-Session": "one"})  # "two" is now the least recently used
        http.get("/models/", headers={"X-Mock-Session": "three"})
        sandboxes = http.get(server.root_url + "/__mock/sandboxes").json()
        assert sandboxes["sandboxes"] == ["one", "three"]
        assert summary_of(http, **{"X-Mock-Session": "one"}) == "one"
        assert summary_of(http, **{"X-Mock-Session": "two"}) != "two"  # started over from the fixtures


def test_an_idle_sandbox_goes_at_the_next_lookup():
    now = [0.0]
    made: list[int] = []
    sandboxes = Sandboxes(lambda: made.append(1) or len(made), limit=10, idle_seconds=60, clock=lambda: now[0])
    first = sandboxes.service("a")
    now[0] = 59
    assert sandboxes.service("a") == first
    now[0] = 59 + 60
    assert sandboxes.service("b") != first
    assert sandboxes.names() == ["b"]


def test_a_fork_never_changes_its_origin():
    seed = load_seed()
    origin = seeded_store(seed)
    before = origin.export()
    fork = origin.fork()
    fork.update("root", "gpt-4-assistant", lambda current: {"summary": "changed", "name": "renamed"})
    fork.delete("root", "claude-writer")
    fork.insert({**fork.get("root", "renamed"), "name": "added"})
    assert origin.export() == before
    assert fork.get("root", "renamed")["summary"] == "changed"
    assert fork.get("root", "gpt-4-assistant") is None
