"""The real server as it behaves today: several defects stacked in one entry (contract-notes §10)."""

from __future__ import annotations

from tests.catalogue import services as s
from tests.catalogue import wrappers as w
from tests.catalogue.base import entry
from tests.catalogue.probing import create, has_offset

REAL_SERVER_RULES = (
    "response_schema",  # PATCH response without connected_endpoints; timestamps without offset
    "partial_update",  # the PATCH response is not what the following GET returns (connected_endpoints)
    "timestamps",  # no offset
    "name_rules",  # "" and "/" accepted
    "configuration_validated",  # configuration not checked on create
    "schema_conformance",  # Schemathesis sees the same response shapes and the accepted names
)


@entry(
    "response_schema",
    defects=("ResponseShapeMismatch",),
    also=REAL_SERVER_RULES,
    schema=True,
    services=(s.PatchResponseWithoutEndpoints, s.TimestampsWithoutOffset, s.SecretsOmitted,
              s.ConfigurationNotValidated),
    wrappers=(w.InvalidNamesAccepted,),
)
def real_server_today(http):
    """The real server as it behaves today (contract-notes §10): PATCH response without
    connected_endpoints, timestamps without offset, "" and "/" names accepted, configuration not
    validated on create; api_key omitted (its newest version). Rules: response_schema,
    partial_update, timestamps, name_rules, configuration_validated, schema_conformance.
    """
    model = create(http)
    patched = http.patch(f"/models/{model['name']}", json={"summary": "s"}).json()
    empty = http.post("/models/", json={"name": "", "dtype": "openai", "configuration": {"model": 42}})
    return (
        "connected_endpoints" not in patched
        and not has_offset(patched["updated_at"])
        and "api_key" not in model["configuration"]
        and empty.status_code == 201
    )


@entry(
    "partial_update",
    defects=("SentFieldNotApplied",),
    also=REAL_SERVER_RULES,
    schema=True,
    services=(s.PatchResponseWithoutEndpoints,  # outermost: the modifiers after it rebuild the answer
              s.PatchIgnoresTags, s.UpdatedAtFrozen, s.TimestampsWithoutOffset, s.SecretsOmitted,
              s.ConfigurationNotValidated),
    wrappers=(w.InvalidNamesAccepted,),
)
def real_server_with_patch_regressions(http):
    """real_server_today plus two regressions in rules it already fails: PATCH ignores tags
    (partial_update, SentFieldNotApplied) and PATCH leaves updated_at alone (timestamps,
    UpdatedAtNotAdvanced). Neither may hide behind the known failure of its rule.
    """
    model = create(http, tags="a,b")
    patched = http.patch(f"/models/{model['name']}", json={"tags": "c"}).json()
    return real_server_today.probe(http) and patched["tags"] == "a,b" and patched["updated_at"] == model["updated_at"]

