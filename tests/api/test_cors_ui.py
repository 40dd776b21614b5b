"""Issue 2 §2: CORS for browser frontends (any origin by default, configurable) and Swagger UI."""

from __future__ import annotations

import re

import pytest

from tests.helpers import (
    assert_401,
    assert_json,
    get_model,
    snapshot,
)

OTHER_PORT = "http://localhost:5173"
PREFLIGHT_HEADERS = "authorization,content-type,x-tenant-name"


def preflight(http, path, origin, method="PATCH"):
    return http.options(path, headers={"Origin": origin, "Access-Control-Request-Method": method,
                                       "Access-Control-Request-Headers": PREFLIGHT_HEADERS})


def _allowed_origin(response, origin):
    return response.headers.get("access-control-allow-origin") in ("*", origin)


@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", ["/models/", "/models/gpt-4-assistant", "/models/types/"])
def test_preflight_from_another_localhost_port_is_allowed(client, method, path):
    before = snapshot(client, "gpt-4-assistant")

    response = preflight(client, path, OTHER_PORT, method)

    assert response.status_code == 200
    assert _allowed_origin(response, OTHER_PORT), response.headers
    allowed_methods = {m.strip() for m in response.headers["access-control-allow-methods"].split(",")}
    assert {"GET", "POST", "PATCH", "DELETE"} <= allowed_methods
    allowed_headers = {h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type", "x-tenant-name"} <= allowed_headers
    assert snapshot(client, "gpt-4-assistant") == before


def test_simple_and_error_responses_carry_the_allow_origin_header(client, create_model, unique_name):
    name = create_model(unique_name("cors"))["name"]
    origin = {"Origin": OTHER_PORT}

    responses = {
        "list": client.get("/models/", headers=origin),
        "get": client.get(f"/models/{name}", headers=origin),
        "patch": client.patch(f"/models/{name}", json={"summary": "from the browser"}, headers=origin),
        "404": client.get("/models/no-such-model-cors", headers=origin),
        "422": client.patch(f"/models/{name}", json={}, headers=origin),
        "401": client.get("/models/", headers={**origin, "Authorization": "Bearer wrong"}),
    }

    assert {key: r.status_code for key, r in responses.items()} == \
        {"list": 200, "get": 200, "patch": 200, "404": 404, "422": 422, "401": 401}
    assert all(_allowed_origin(r, OTHER_PORT) for r in responses.values()), \
        {key: r.headers.get("access-control-allow-origin") for key, r in responses.items()}
    assert_401(responses["401"])
    assert assert_json(get_model(client, name), 200)["summary"] == "from the browser"


def test_configured_origins_allow_only_those(start_server):
    server = start_server(cors_origins=["http://localhost:3000"])
    with server.client() as http:
        allowed = preflight(http, "/models/gpt-4-assistant", "http://localhost:3000")
        refused = preflight(http, "/models/gpt-4-assistant", OTHER_PORT)
        simple_allowed = http.get("/models/", headers={"Origin": "http://localhost:3000"})
        simple_refused = http.get("/models/", headers={"Origin": OTHER_PORT})

    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert "PATCH" in allowed.headers["access-control-allow-methods"]
    assert refused.status_code >= 400
    assert "access-control-allow-origin" not in refused.headers
    assert simple_allowed.status_code == 200
    assert simple_allowed.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert simple_refused.status_code == 200  # the server answers; the browser withholds it
    assert "access-control-allow-origin" not in simple_refused.headers


def test_swagger_ui_is_served_with_the_spec_it_loads(mock_server):
    with mock_server.client() as http:
        ui = http.get("/ui/")
        bundle = http.get("/ui/swagger-ui-bundle.js")
        spec_url = re.search(r'url: "([^"]+)"', ui.text).group(1)
        spec = http.get(mock_server.root_url + spec_url)

    assert ui.status_code == 200
    assert ui.headers["content-type"].startswith("text/html")
    assert bundle.status_code == 200
    assert spec_url == "/api/v1/openapi.json"
    document = assert_json(spec, 200)
    assert document["servers"][0]["url"].endswith("/api/v1")
    assert {"/models/", "/models/{name}", "/models/types/", "/models/types/{name}"} <= set(document["paths"])


def test_swagger_ui_needs_no_admin_key(mock_server):
    with mock_server.client(Authorization="Bearer wrong") as http:
        assert http.get("/ui/").status_code == 200
        assert assert_json(http.get("/openapi.json"), 200)["openapi"].startswith("3.")
