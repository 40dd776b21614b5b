"""docs/contract.md §2: `Authorization: Bearer <admin key>` on every route; otherwise 401."""

from __future__ import annotations

import shlex
import subprocess
import sys

import httpx
import pytest

from tests.helpers import (
    ALL_ROUTES,
    assert_401,
    assert_json,
    route_request,
    snapshot,
)
from tests.live import ROOT, TOKEN, free_port, wait_until_answering

BAD_AUTHORIZATION = {
    "missing": None,
    "wrong key": f"Bearer {TOKEN}-wrong",
    "key of other case": f"Bearer {TOKEN.upper()}",
    "lowercase bearer": f"bearer {TOKEN}",
    "uppercase bearer": f"BEARER {TOKEN}",
    "no scheme": TOKEN,
    "scheme only": "Bearer",
    "basic auth": "Basic ZGVtby1hZG1pbi1rZXk6",
    "two spaces": f"Bearer  {TOKEN}",  # the real server takes everything after "Bearer " as the key
}


@pytest.mark.parametrize("route", ALL_ROUTES)
@pytest.mark.parametrize("authorization", BAD_AUTHORIZATION.values(), ids=BAD_AUTHORIZATION.keys())
def test_bad_admin_key_is_401_on_every_route_and_changes_nothing(client, create_model, unique_name, route, authorization):
    target = create_model(unique_name("auth"))["name"]
    new_name = unique_name("auth-new")
    name = new_name if route == "create" else target
    before = snapshot(client, target, new_name)

    response = route_request(client, route, name=name, authorization=authorization)

    assert_401(response)
    assert snapshot(client, target, new_name) == before


@pytest.mark.parametrize("route", ALL_ROUTES)
def test_the_admin_key_is_accepted_on_every_route(client, create_model, unique_name, route):
    name = unique_name("auth-ok") if route == "create" else create_model(unique_name("auth-ok"))["name"]
    expected = {"create": 201}.get(route, 200)

    response = route_request(client, route, name=name)

    body = assert_json(response, expected)
    if route in ("create", "get", "patch"):
        assert body["name"] == name
    after = client.get(f"/models/{name}")
    assert after.status_code == (404 if route == "delete" else 200)


@pytest.mark.parametrize("path", ["/models/types", "/models/types/zzz"])
def test_bad_key_is_401_before_any_not_found(client, path):
    assert_401(client.get(path, headers={"Authorization": f"bearer {TOKEN}"}))


def test_key_is_checked_before_the_body(client, create_model, unique_name):
    target = create_model(unique_name("auth-body"))["name"]
    before = snapshot(client, target)
    wrong = {"Authorization": "Bearer nope"}

    assert_401(client.patch(f"/models/{target}", content=b"{not json", headers={**wrong, "Content-Type": "application/json"}))
    assert_401(client.post("/models/", json={}, headers=wrong))

    assert snapshot(client, target) == before


@pytest.mark.parametrize("options", [[], ["--strict-tenancy"]], ids=["default", "strict tenancy"])
def test_serve_prints_the_demo_key_and_a_working_curl(options):
    """`make serve` (python -m handlers.serve) prints the demo key; the key and the printed curl work."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "handlers.serve", "--port", str(port), *options],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        lines = [server.stdout.readline() for _ in range(5)]
        banner = "".join(lines)
        assert f"Demo admin key:   {TOKEN}" in banner, banner
        curl = shlex.split(lines[4].strip())
        url = curl[curl.index("-X") + 2]
        headers = dict(curl[i + 1].split(": ", 1) for i, word in enumerate(curl) if word == "-H")
        data = curl[curl.index("-d") + 1]
        anonymous = wait_until_answering(f"http://127.0.0.1:{port}/api/v1/models/", server)
        with httpx.Client(timeout=60) as http:
            response = http.request(curl[curl.index("-X") + 1], url, headers=headers, content=data)
    finally:
        server.terminate()
        server.wait()

    assert_401(anonymous)
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    model = assert_json(response, 200)
    assert model["name"] == "gpt-4-assistant" and model["summary"] == "GPT-4 model optimized for customer support"
    assert model["connected_endpoints"][0]["slug"] == "support-assistant"
