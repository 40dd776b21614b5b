"""Entries breaking the routes the web UI calls (docs/contract.md §9b): type_schema,
type_actions, health_public, health_tenant_scoped, and auth on a new secured route."""

from __future__ import annotations

from tests.catalogue import services as s
from tests.catalogue import wrappers as w
from tests.catalogue.base import entry
from tests.catalogue.probing import create, fresh

FETCH = "/models/types/openai/actions/fetch_available_models"


@entry("type_schema", defects=("TypeSchemaMismatch",), services=(s.TypeSchemaWithoutRequired,))
def schema_route_drops_required(http):
    """GET /models/types/{name}/schema leaves out the type's required list (type_schema)."""
    listed = http.get("/models/types/openai").json()["config_schema"]
    return http.get("/models/types/openai/schema").json() != listed


@entry("type_actions", defects=("UnknownTypeOrActionAccepted",), services=(s.UnknownActionsAnswerEmpty,))
def unknown_actions_answer_200(http):
    """An unknown model type or action answers 200 with no models instead of 404 (type_actions)."""
    return http.post(f"/models/types/openai/actions/{fresh('nope')}", json={}).status_code == 200


@entry("type_actions", defects=("ActionChangedModels",), services=(s.ActionsSaveModels,))
def actions_save_models(http):
    """An action call moves updated_at of every model of its type (type_actions)."""
    model = create(http)
    http.post(FETCH, json={})
    return http.get(f"/models/{model['name']}").json()["updated_at"] != model["updated_at"]


@entry("health_public", defects=("HealthNotPublic",), wrappers=(w.HealthNeedsKey,),
       may=("response_schema",))  # the 401 is a status the public route does not document
def health_needs_the_key(http):
    """GET /models/{name}/health answers 401 without the admin key (health_public; auth must not fail it)."""
    model = create(http)
    return http.get(f"/models/{model['name']}/health", headers={"Authorization": ""}).status_code == 401


@entry("health_tenant_scoped", defects=("TenantLeak",), services=(s.HealthAcrossTenants,))
def health_ignores_the_tenant(http):
    """GET /models/{name}/health finds another tenant's model (health_tenant_scoped)."""
    model = create(http)
    return http.get(f"/models/{model['name']}/health", headers={"X-Tenant-Name": "acme"}).status_code == 200


@entry("auth", defects=("AuthNotEnforced",), wrappers=(w.TypeSchemaOpen,))
def schema_route_needs_no_key(http):
    """GET /models/types/{name}/schema answers with a wrong key (auth)."""
    return http.get("/models/types/openai/schema", headers={"Authorization": "Bearer wrong"}).status_code == 200
