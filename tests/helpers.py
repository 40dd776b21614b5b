"""Shared helpers of the behaviour tests (tests/api/): requests, snapshots, assertions."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime

import httpx

from tests.contract import LIST_ITEM_FIELDS, MODEL_FIELDS

ADMIN_KEY_REQUIRED = {"detail": "Admin API key required"}
METHOD_NOT_ALLOWED = {"detail": "Method Not Allowed"}
OPENAI_CONFIG = {"api_key": "sk-test-abcdef123456", "model": "gpt-4", "base_url": "https://api.openai.com/v1"}

ENDPOINT_KEYS = {"id", "name", "slug"}
TENANT_SCOPED_ROUTES = ("list", "create", "get", "patch", "delete")
ALL_ROUTES = ("list_types", "get_type", *TENANT_SCOPED_ROUTES)

# Fixture data (fixtures/*.json) the tests read.
SEED_ID = "550e8400-e29b-41d4-a716-446655440000"
SEED_ENDPOINT = {"id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "name": "Support Assistant", "slug": "support-assistant"}
SECRET = OPENAI_CONFIG["api_key"]  # the api_key openai_body (and so the create_model fixture) stores
OFFSET = re.compile(r"(Z|z|[+-][0-9]{2}:[0-9]{2})$")


def tenant_header(tenant: str | None) -> dict[str, str]:
    return {} if tenant is None else {"X-Tenant-Name": tenant}


def openai_body(name: str, **fields) -> dict:
    return {"name": name, "dtype": "openai", "configuration": dict(OPENAI_CONFIG), **fields}


KEEP = object()  # route_request's default: send the client's own Authorization header


def route_request(http: httpx.Client, route: str, name: str = "no-such-model", headers: dict | None = None,
                  body: object = None, authorization: object = KEEP) -> httpx.Response:
    """One request to ``route`` (a key of ALL_ROUTES) naming model ``name``; ``body`` for POST/PATCH.

    ``authorization`` replaces the client's Authorization header; ``None`` sends none at all.
    """
    method, url, default_body = {
        "list_types": ("GET", "/models/types/", None),
        "get_type": ("GET", "/models/types/openai", None),
        "list": ("GET", "/models/", None),
        "create": ("POST", "/models/", openai_body(name)),
        "get": ("GET", f"/models/{name}", None),
        "patch": ("PATCH", f"/models/{name}", {"summary": "changed"}),
        "delete": ("DELETE", f"/models/{name}", None),
    }[route]
    payload = body if body is not None else default_body
    request = http.build_request(method, url, json=payload, headers=headers or {})
    if authorization is None:
        del request.headers["Authorization"]
    elif authorization is not KEEP:
        request.headers["Authorization"] = authorization
    return http.send(request)


def create_in(http: httpx.Client, name: str, tenant: str | None = None, **fields) -> dict:
    """Creates an openai model in ``tenant`` (the create_model fixture acts in the default tenant)."""
    response = http.post("/models/", json=openai_body(name, **fields), headers=tenant_header(tenant))
    assert response.status_code == 201, response.text
    return response.json()


def get_model(http: httpx.Client, name: str, tenant: str | None = None) -> httpx.Response:
    return http.get(f"/models/{name}", headers=tenant_header(tenant))


def list_models(http: httpx.Client, tenant: str | None = None) -> list[dict]:
    response = http.get("/models/", headers=tenant_header(tenant))
    assert response.status_code == 200, response.text
    return response.json()


def snapshot(http: httpx.Client, *names: str, tenant: str | None = None) -> dict:
    """The tenant's list and the GET (status and body) of each named model, to compare before/after."""
    return {
        "list": list_models(http, tenant),
        "models": {name: _status_and_body(get_model(http, name, tenant)) for name in names},
    }


def _status_and_body(response: httpx.Response) -> tuple[int, object]:
    return response.status_code, response.json()


def strict_json(response: httpx.Response) -> object:
    """The body parsed as RFC 8259 JSON: NaN, Infinity and -Infinity are not JSON."""

    def reject(constant: str):
        raise AssertionError(f"{constant} in a JSON body: {response.text[:200]}")

    return json.loads(response.text, parse_constant=reject)


def assert_json(response: httpx.Response, status: int) -> object:
    """``status``, a JSON content type and a strictly valid JSON body; returns the body."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers.get("content-type", "").startswith("application/json"), response.headers
    return strict_json(response)


def assert_detail(response: httpx.Response, status: int, detail: str) -> None:
    assert assert_json(response, status) == {"detail": detail}


def assert_401(response: httpx.Response) -> None:
    assert assert_json(response, 401) == ADMIN_KEY_REQUIRED
    assert "www-authenticate" not in response.headers


def assert_model_not_found(response: httpx.Response, name: str) -> None:
    assert_detail(response, 404, f"Model '{name}' not found")


def assert_422(response: httpx.Response) -> list[dict]:
    """A 422 in the real server's shape; returns the list of entries."""
    body = assert_json(response, 422)
    assert set(body) == {"detail"}, body
    entries = body["detail"]
    assert isinstance(entries, list) and entries, body
    for entry in entries:
        assert {"type", "loc", "msg", "input"} <= set(entry), entry
        assert isinstance(entry["type"], str) and isinstance(entry["msg"], str), entry
        assert isinstance(entry["loc"], list) and entry["loc"][0] == "body", entry
    return entries


def errors_at(entries: list[dict]) -> list[tuple[str, list]]:
    """(type, loc) of each 422 entry, in order."""
    return [(entry["type"], entry["loc"]) for entry in entries]


def assert_not_server_error(response: httpx.Response) -> object:
    """Never a 5xx, never HTML/text, never a stack trace: a JSON error or success body."""
    assert response.status_code < 500, (response.status_code, response.text[:500])
    assert response.headers.get("content-type", "").startswith("application/json"), response.headers
    assert "Traceback" not in response.text
    return strict_json(response)


def parse_stamp(stamp: str) -> datetime:
    """An RFC 3339 date-time that carries an offset (docs/contract.md §5)."""
    assert OFFSET.search(stamp), stamp
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00").replace("z", "+00:00"))
    assert moment.tzinfo is not None, stamp
    return moment


def assert_uuid(value: str) -> None:
    assert str(uuid.UUID(value)) == value.lower(), value


def assert_model_shape(model: dict, *, list_item: bool = False) -> None:
    """The Model of docs/contract.md §5 (list items: without ``updated_at``)."""
    assert set(model) == (LIST_ITEM_FIELDS if list_item else MODEL_FIELDS), sorted(model)
    assert_uuid(model["id"])
    for key in ("name", "dtype", "summary", "tags"):
        assert isinstance(model[key], str), (key, model[key])
    assert isinstance(model["configuration"], dict)
    created = parse_stamp(model["created_at"])
    if not list_item:
        assert parse_stamp(model["updated_at"]) >= created
    assert isinstance(model["connected_endpoints"], list)
    for endpoint in model["connected_endpoints"]:
        assert set(endpoint) == ENDPOINT_KEYS, endpoint
        assert_uuid(endpoint["id"])
        assert isinstance(endpoint["name"], str) and isinstance(endpoint["slug"], str)


def without_updated_at(model: dict) -> dict:
    return {key: value for key, value in model.items() if key != "updated_at"}
