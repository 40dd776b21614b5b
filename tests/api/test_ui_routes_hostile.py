"""Hostile input on the UI routes (docs/contract.md §9b, §12): oversized, malformed, concurrent.

Whatever arrives, the answer is a documented JSON status, never a 5xx other than the
documented 502 of a failing provider, and no stored model changes.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import httpx
import pytest

from tests.api.test_ui_routes import FETCH, every_tenant, fetch_body
from tests.helpers import (
    assert_json,
    assert_not_server_error,
    create_in,
    snapshot,
)

MIB = 1024 * 1024


@pytest.mark.parametrize("raw", [
    b"{",                                   # truncated
    b'{"base_url": "x", "api_key": }',      # not JSON
    b"[" * 100 + b"]" * 100,                # nested too deep
    b'"a string"',                          # not an object
    b"null",
    b'{"base_url": NaN, "api_key": "k"}',   # not JSON either
    b"\xff\xfe\x00",                        # not UTF-8
    b'{"base_url": "\\ud800", "api_key": "k"}',  # a lone surrogate (string_unicode)
])
def test_malformed_action_bodies_are_422_and_change_nothing(client, raw):
    before = every_tenant(client)

    response = client.post(FETCH, content=raw, headers={"Content-Type": "application/json"})

    assert assert_not_server_error(response) and response.status_code == 422, response.text[:300]
    assert every_tenant(client) == before


@pytest.mark.parametrize("arguments", [
    {"base_url": ["https://api.openai.com/v1"], "api_key": "sk-x"},
    {"base_url": "https://api.openai.com/v1", "api_key": {"nested": "sk-x"}},
    {"base_url": None, "api_key": 12},
])
def test_arguments_no_client_could_send_fail_as_the_provider_would(client, arguments):
    """Non-string arguments cannot reach a provider: the documented 502, never a crash."""
    before = every_tenant(client)

    response = client.post(FETCH, json=arguments)

    assert response.status_code == 502 and assert_json(response, 502)["detail"]
    assert every_tenant(client) == before


def test_an_oversized_action_body_is_refused_without_a_crash(client):
    before = every_tenant(client)

    response = client.post(FETCH, json={**fetch_body(), "padding": "x" * (2 * MIB)})

    assert response.status_code in (413, 422), (response.status_code, response.text[:200])
    assert isinstance(assert_json(response, response.status_code)["detail"], (str, list))
    assert every_tenant(client) == before


@pytest.mark.parametrize("segment", ["x" * 8000, "\n", "%00", "🦙" * 500, "..%2F..%2Fetc", " "])
def test_odd_names_in_the_new_paths_answer_json(client, segment):
    before = every_tenant(client)
    encoded = quote(segment, safe="%")

    for response in (
        client.get(f"/models/types/{encoded}/schema"),
        client.post(f"/models/types/{encoded}/actions/fetch_available_models", json=fetch_body()),
        client.post(f"/models/types/openai/actions/{encoded}", json=fetch_body()),
        client.get(f"/models/{encoded}/health"),
    ):
        assert_not_server_error(response)
        assert response.status_code in (307, 404), (response.status_code, response.text[:200])
    assert every_tenant(client) == before


def test_an_oversized_tenant_header_on_health_is_refused(client):
    response = client.get("/models/gpt-4-assistant/health", headers={"X-Tenant-Name": "t" * 8000})

    assert assert_not_server_error(response) is not None
    assert 400 <= response.status_code < 500


def test_concurrent_actions_and_health_checks_during_renames(client, mock_server, unique_name):
    """Reads while a model is renamed back and forth: every answer documented, no write lost."""
    name, other = unique_name("busy"), unique_name("busy-renamed")
    create_in(client, name)

    def fetch(_: int) -> int:
        with mock_server.client() as http:
            return http.post(FETCH, json=fetch_body()).status_code

    def health(_: int) -> set[int]:
        with httpx.Client(base_url=mock_server.base_url) as anonymous:
            return {anonymous.get(f"/models/{candidate}/health").status_code for candidate in (name, other)}

    def rename(turn: int) -> int:
        with mock_server.client() as http:
            source, target = (name, other) if turn % 2 == 0 else (other, name)
            return http.patch(f"/models/{source}", json={"name": target}).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        fetched = pool.map(fetch, range(40))
        checked = pool.map(health, range(40))
        renamed = [pool.submit(rename, turn).result() for turn in range(10)]

    assert set(fetched) == {200}
    assert set().union(*checked) <= {200, 404}
    assert set(renamed) == {200}
    final = snapshot(client, name, other)
    assert [status for status, _ in final["models"].values()].count(200) == 1  # exactly one of the two names
