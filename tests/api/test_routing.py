"""docs/contract.md §1: slash redirects, `/models/types` as the model `types`, 405 on unknown methods."""

from __future__ import annotations

import pytest

from tests.helpers import (
    METHOD_NOT_ALLOWED,
    assert_json,
    assert_model_not_found,
    get_model,
    openai_body,
    snapshot,
)


@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "DELETE"])
@pytest.mark.parametrize("path, target", [("/models", "/models/"), ("/models/some-model/", "/models/some-model"),
                                          ("/models?x=1", "/models/?x=1")])
def test_slash_less_paths_redirect_307_with_empty_body(mock_server, client, method, path, target):
    before = snapshot(client)

    response = client.request(method, path, json={"summary": "x"} if method in ("POST", "PATCH") else None)

    assert response.status_code == 307
    assert response.content == b""
    assert response.headers["location"] == f"/api/v1{target}"  # relative: never built from the Host header
    assert snapshot(client) == before


@pytest.mark.parametrize("path, target", [("/models", "/api/v1/models/"), ("/models/a%20b%C3%A9/", "/api/v1/models/a%20b%C3%A9")])
def test_a_forged_host_never_reaches_the_redirect(client, path, target):
    response = client.get(path, headers={"Host": "evil.example.com"})

    assert response.status_code == 307
    assert response.headers["location"] == target


def test_following_the_create_redirect_creates_the_model(client, unique_name):
    name = unique_name("route-redirect")

    response = client.post("/models", json=openai_body(name), follow_redirects=True)

    created = assert_json(response, 201)
    assert [r.status_code for r in response.history] == [307]
    assert assert_json(get_model(client, name), 200) == created


def test_following_the_item_redirect_reads_the_model(client, create_model, unique_name):
    created = create_model(unique_name("route-item"))

    response = client.get(f"/models/{created['name']}/", follow_redirects=True)

    assert assert_json(response, 200) == created


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_models_types_without_slash_is_the_model_named_types(client, method):
    before = snapshot(client, "types")

    response = client.request(method, "/models/types", json={"summary": "x"} if method == "PATCH" else None)

    assert_model_not_found(response, "types")
    assert snapshot(client, "types") == before


@pytest.mark.parametrize("method, path", [
    ("PUT", "/models/"), ("DELETE", "/models/"), ("PATCH", "/models/"),
    ("PUT", "/models/{name}"), ("POST", "/models/{name}"),
    ("POST", "/models/types/"), ("PUT", "/models/types/openai"), ("DELETE", "/models/types/openai"),
    ("TRACE", "/models/"), ("HEAD", "/models/"), ("HEAD", "/models/{name}"),
])
def test_unknown_method_on_a_known_path_is_405(client, create_model, unique_name, method, path):
    name = create_model(unique_name("route-405"))["name"]
    before = snapshot(client, name)

    response = client.request(method, path.format(name=name), json={"summary": "x"} if method != "HEAD" else None)

    assert response.status_code == 405, (response.status_code, response.text[:300])
    if method != "HEAD":  # a HEAD answer carries no body
        assert assert_json(response, 405) == METHOD_NOT_ALLOWED
    assert snapshot(client, name) == before
