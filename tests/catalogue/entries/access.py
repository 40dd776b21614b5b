"""Entries breaking what a request may reach or see: configuration_validated, not_found,
tenant_isolation, auth, secrets, delete."""

from __future__ import annotations

from tests.catalogue import services as s
from tests.catalogue import wrappers as w
from tests.catalogue.base import entry
from tests.catalogue.probing import CONFIG, body, create, fresh, get

# configuration_validated -----------------------------------------------------------------------


@entry("configuration_validated", defects=("InvalidConfigurationAccepted",),
       services=(s.ConfigurationNotValidated,))
def configuration_not_validated(http):
    """Create accepts a configuration that breaks its type's config_schema (configuration_validated)."""
    return http.post("/models/", json=body(configuration={"model": 42})).status_code != 422


# not_found -------------------------------------------------------------------------------------


@entry(
    "not_found",
    defects=("UnexpectedStatus", "PhantomModelCreated"),
    # PATCH after a delete, or through a tenant that lacks the name, is a PATCH of an unknown name
    may=("delete", "tenant_isolation"),
    services=(s.PatchUnknownCreates,),
)
def patch_unknown_creates(http):
    """PATCH of an unknown name creates the model and answers 200 (not_found)."""
    name = fresh("ghost")
    http.patch(f"/models/{name}", json={"summary": "s"})
    return get(http, name).status_code != 404


@entry(
    "not_found",
    defects=("UnexpectedStatus",),
    # DELETE after a delete, or through a tenant that lacks the name, is a DELETE of an unknown name
    may=("delete", "tenant_isolation"),
    services=(s.DeleteUnknownSucceeds,),
)
def delete_unknown_succeeds(http):
    """DELETE of an unknown name answers 200 instead of 404 (not_found)."""
    return http.delete(f"/models/{fresh('ghost')}").status_code != 404


@entry(
    "not_found",
    defects=("UnexpectedStatus",),
    also=("delete", "tenant_isolation"),  # each asks for a 404 and gets a 409: a wrong status, no leak
    may=("name_conflicts", "configuration_validated", "auth", "response_schema", "schema_conformance"),
    never=("TenantLeak", "DeletedModelStillThere", "PhantomModelCreated", "RenameNotFollowed"),
    services=(s.NotFoundAnswers409,),
)
def missing_model_is_409(http):
    """A model that does not exist answers 409 instead of 404 on GET, PATCH and DELETE (not_found)."""
    return get(http, fresh("ghost")).status_code == 409


@entry(
    "not_found",
    defects=("UnknownTenantAccepted",),
    # a second tenant that is really the default one shares its names, models and health routes
    also=("tenant_isolation", "health_tenant_scoped"),
    may=("response_schema", "schema_conformance"),
    services=(s.TenantHeaderIgnored,),
)
def tenant_header_ignored(http):
    """Every request acts in the default tenant whatever X-Tenant-Name says, an unknown tenant too (not_found)."""
    return http.get("/models/", headers={"X-Tenant-Name": fresh("nobody")}).status_code == 200


# tenant_isolation ------------------------------------------------------------------------------


@entry("tenant_isolation", defects=("TenantLeak",), services=(s.WritesFallBackToDefaultTenant,))
def writes_ignore_tenant(http):
    """PATCH and DELETE through another tenant reach the default tenant's model (tenant_isolation)."""
    model = create(http)
    http.patch(f"/models/{model['name']}", json={"summary": "from acme"}, headers={"X-Tenant-Name": "acme"})
    return get(http, model["name"]).json()["summary"] == "from acme"


@entry("tenant_isolation", defects=("CrossTenantConflict",), services=(s.NamesUniqueAcrossTenants,))
def conflicts_across_tenants(http):
    """A name held in another tenant counts as taken on create (tenant_isolation)."""
    model = create(http)
    return http.post("/models/", json=body(model["name"]), headers={"X-Tenant-Name": "acme"}).status_code == 409


# auth ------------------------------------------------------------------------------------------


@entry("auth", defects=("AuthNotEnforced",), wrappers=(w.AuthIgnoredOn,))
def auth_ignored_on_delete(http):
    """DELETE works without a key or with a wrong key (auth)."""
    model = create(http)
    answer = http.delete(f"/models/{model['name']}", headers={"Authorization": "Bearer wrong"})
    return answer.status_code != 401 and get(http, model["name"]).status_code == 404


@entry("auth", defects=("AuthNotEnforced",), wrappers=(w.AnyBearerKeyOn,))
def any_bearer_key_on_patch(http):
    """PATCH accepts any Bearer key, not only the admin key (auth)."""
    model = create(http)
    answer = http.patch(f"/models/{model['name']}", json={"summary": "s"}, headers={"Authorization": "Bearer wrong"})
    return answer.status_code != 401


# secrets ---------------------------------------------------------------------------------------


@entry("secrets", defects=("SecretExposed",), services=(s.SecretsInFull,))
def api_key_in_full(http):
    """Responses return the configuration's api_key in full (secrets)."""
    return create(http)["configuration"].get("api_key") == CONFIG["api_key"]


# delete ----------------------------------------------------------------------------------------


@entry("delete", defects=("DeletedModelStillThere",), services=(s.ListKeepsDeleted,))
def list_keeps_deleted(http):
    """DELETE answers 200 but the deleted model stays in the list (delete)."""
    model = create(http)
    http.delete(f"/models/{model['name']}")
    return model["name"] in [item["name"] for item in http.get("/models/").json()]


@entry("delete", defects=("DeletedModelStillThere",), services=(s.GetServesDeleted,))
def get_serves_deleted(http):
    """DELETE answers 200 but GET by name still returns the model (delete)."""
    model = create(http)
    http.delete(f"/models/{model['name']}")
    return get(http, model["name"]).status_code == 200


@entry("delete", defects=("DeleteAnswerMalformed",), may=("response_schema", "schema_conformance"),
       never=("DeletedModelStillThere",), services=(s.DeleteAnswersEmptyObject,))
def delete_answers_empty_object(http):
    """DELETE deletes but answers 200 with {} instead of {"message": ...} (delete; not a model still there)."""
    model = create(http)
    return http.delete(f"/models/{model['name']}").json() == {}
