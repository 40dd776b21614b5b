"""docs/contract.md §3: tenants from `X-Tenant-Name`, default `root`, per-tenant names, invisibility."""

from __future__ import annotations

import pytest

from tests.helpers import (
    TENANT_SCOPED_ROUTES,
    assert_detail,
    assert_json,
    assert_model_not_found,
    create_in,
    get_model,
    list_models,
    route_request,
    snapshot,
)

EXPECTED_SUCCESS = {"list": 200, "create": 201, "get": 200, "patch": 200, "delete": 200}
TENANT_HEADER_REQUIRED = "X-Tenant-Name header is required for this endpoint when multi-tenancy is enabled"


def _target_and_name(route, create_model, unique_name, stem):
    """A model of root to aim at, and the name the request uses (a fresh one for create)."""
    target = create_model(unique_name(stem))["name"]
    return target, unique_name(stem) if route == "create" else target


def test_without_header_the_tenant_is_root(client, create_model, unique_name):
    created = create_model(unique_name("tenant-default"))
    name = created["name"]

    in_root = get_model(client, name, "root")
    assert assert_json(in_root, 200) == created
    assert list_models(client) == list_models(client, "root")
    assert name in [item["name"] for item in list_models(client, "root")]
    assert_model_not_found(get_model(client, name, "acme"), name)
    assert name not in [item["name"] for item in list_models(client, "acme")]


@pytest.mark.parametrize("route", TENANT_SCOPED_ROUTES)
def test_unknown_tenant_is_404_and_changes_nothing(client, create_model, unique_name, route):
    target, name = _target_and_name(route, create_model, unique_name, "tenant-unknown")
    before = snapshot(client, target, name)

    response = route_request(client, route, name=name, headers={"X-Tenant-Name": "no-such-tenant"})

    assert_detail(response, 404, "Tenant 'no-such-tenant' not found")
    assert snapshot(client, target, name) == before


@pytest.mark.parametrize("route", TENANT_SCOPED_ROUTES)
def test_inactive_tenant_is_403_and_changes_nothing(client, create_model, unique_name, route):
    target, name = _target_and_name(route, create_model, unique_name, "tenant-inactive")
    before = snapshot(client, target, name)

    response = route_request(client, route, name="old-model" if route != "create" else name,
                             headers={"X-Tenant-Name": "dormant"})

    body = assert_json(response, 403)
    assert set(body) == {"detail"} and isinstance(body["detail"], str) and body["detail"]
    assert snapshot(client, target, name) == before


@pytest.mark.parametrize("route", TENANT_SCOPED_ROUTES)
def test_strict_mode_missing_header_is_400_and_changes_nothing(start_server, unique_name, route):
    server = start_server(strict_tenancy=True)
    with server.client() as http, server.client(**{"X-Tenant-Name": "root"}) as in_root:
        name = "local-llama" if route in ("get", "patch", "delete") else unique_name("strict")
        before = snapshot(in_root, "local-llama", name)

        response = route_request(http, route, name=name)

        # the real server's wording (its tenant dependency)
        assert assert_json(response, 400) == {"detail": TENANT_HEADER_REQUIRED}
        assert snapshot(in_root, "local-llama", name) == before
        # the same request naming the tenant succeeds
        assert route_request(in_root, route, name=name).status_code == EXPECTED_SUCCESS[route]


def test_strict_mode_keeps_the_other_checks(start_server):
    server = start_server(strict_tenancy=True)
    with server.client() as http:
        before = snapshot(http, "local-llama", tenant="root")
        assert_detail(http.get("/models/", headers={"Authorization": "Bearer nope"}), 401, "Admin API key required")
        assert_detail(http.get("/models/", headers={"X-Tenant-Name": "nope"}), 404, "Tenant 'nope' not found")
        assert http.get("/models/", headers={"X-Tenant-Name": "dormant"}).status_code == 403
        # a missing header is answered before the body is validated
        assert assert_json(http.patch("/models/local-llama", json={}), 400)["detail"]
        assert assert_json(http.post("/models/", json={}), 400)["detail"]
        assert snapshot(http, "local-llama", tenant="root") == before


@pytest.mark.parametrize("path", ["/models/types/", "/models/types/openai"])
@pytest.mark.parametrize("tenant", ["no-such-tenant", "dormant", "acme"])
def test_model_type_routes_are_not_tenant_scoped(client, path, tenant):
    plain = assert_json(client.get(path), 200)

    assert assert_json(client.get(path, headers={"X-Tenant-Name": tenant}), 200) == plain


@pytest.mark.parametrize("path", ["/models/types/", "/models/types/openai"])
def test_model_type_routes_need_no_header_in_strict_mode(start_server, path):
    with start_server(strict_tenancy=True).client() as http:
        body = assert_json(http.get(path), 200)
        assert body == assert_json(http.get(path, headers={"X-Tenant-Name": "nope"}), 200)
        assert body


def test_same_name_in_two_tenants(client, create_model, unique_name):
    name = unique_name("tenant-same")
    root_model = create_model(name)
    acme_model = create_in(client, name, "acme", summary="acme's")

    assert root_model["id"] != acme_model["id"]
    assert assert_json(get_model(client, name, "root"), 200) == root_model
    assert assert_json(get_model(client, name, "acme"), 200) == acme_model
    assert [item["id"] for item in list_models(client, "root") if item["name"] == name] == [root_model["id"]]
    assert [item["id"] for item in list_models(client, "acme") if item["name"] == name] == [acme_model["id"]]

    assert client.delete(f"/models/{name}").status_code == 200
    assert assert_json(get_model(client, name, "acme"), 200) == acme_model


@pytest.mark.parametrize("route", ["get", "patch", "delete"])
def test_model_of_another_tenant_is_invisible(client, unique_name, route):
    name = unique_name("tenant-other")
    create_in(client, name, "acme")
    missing = unique_name("tenant-missing")
    before_acme = snapshot(client, name, tenant="acme")
    before_root = snapshot(client, name)

    response = route_request(client, route, name=name, headers={"X-Tenant-Name": "root"})
    never_existed = route_request(client, route, name=missing, headers={"X-Tenant-Name": "root"})

    assert_model_not_found(response, name)
    assert never_existed.json() == {"detail": f"Model '{missing}' not found"}
    assert snapshot(client, name, tenant="acme") == before_acme
    assert snapshot(client, name) == before_root


def test_model_created_in_a_tenant_lives_only_there(client, unique_name):
    name = unique_name("tenant-acme")
    created = create_in(client, name, "acme")

    assert assert_json(get_model(client, name, "acme"), 200) == created
    assert_model_not_found(get_model(client, name), name)
    assert name not in [item["name"] for item in list_models(client)]
