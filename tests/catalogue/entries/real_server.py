"""The real server as it behaves today: several defects stacked in one entry (docs/contract.md §10)."""

from __future__ import annotations

from functools import partial

from tests.catalogue import services as s
from tests.catalogue import wrappers as w
from tests.catalogue.base import entry
from tests.catalogue.entries.stored import lone_surrogate_poisons_the_list
from tests.catalogue.probing import create, has_offset

REAL_SERVER_RULES = (
    "response_schema",  # PATCH and create answers without connected_endpoints; no offset; 500s
    "partial_update",  # the PATCH response is not what the following GET returns (connected_endpoints)
    "timestamps",  # no offset
    "name_rules",  # "", "/", "types", "." and ".." accepted
    "configuration_validated",  # configuration not checked on create
    "create_stored",  # the 201 answer of a create is not what the following GET returns (connected_endpoints)
    "stored_data_readable",  # lone surrogates: plain-text 500s, and a poisoned list
    "method_not_allowed",  # a 405's Allow lists one method
    "schema_conformance",  # Schemathesis sees the same response shapes and the accepted names
)
# Innermost first: names are smuggled past validation, then the lone surrogates and the Allow
# header are treated as the real server does.
REAL_SERVER_WRAPPERS = (
    partial(w.InvalidNamesAccepted, accept=(w.empty_name, w.slash_in_name, w.reserved_name)),
    w.TypesPathServesModel,
    w.LoneSurrogatesPoison,
    w.AllowListsOneMethod,
)


@entry(
    "response_schema",
    defects=("ResponseShapeMismatch",),
    also=REAL_SERVER_RULES,
    schema=True,
    services=(s.CreateAnswerWithoutEndpoints,  # outermost: ConfigurationNotValidated creates itself
              s.PatchResponseWithoutEndpoints, s.TimestampsWithoutOffset, s.SecretsOmitted,
              s.ConfigurationNotValidated),
    wrappers=REAL_SERVER_WRAPPERS,
)
def real_server_today(http):
    """The real server as it behaves today (docs/contract.md §10): create and PATCH answers
    without connected_endpoints, timestamps without offset, "", "/", "types", "." and ".." names
    accepted (GET /models/types then answers the model named types), configuration not validated
    on create, lone surrogates answered with plain-text 500s and poisoning the list, a 405's
    Allow naming one method; api_key omitted (its newest version). Rules: response_schema,
    partial_update, timestamps, name_rules, configuration_validated, create_stored,
    stored_data_readable, method_not_allowed, schema_conformance.
    """
    model = create(http)
    patched = http.patch(f"/models/{model['name']}", json={"summary": "s"}).json()
    empty = http.post("/models/", json={"name": "", "dtype": "openai", "configuration": {"model": 42}})
    types = http.post("/models/", json={"name": "types", "dtype": "openai", "configuration": {"api_key": "sk-x"}})
    types_read = http.get("/models/types").json()
    http.delete("/models/types")
    return (
        "connected_endpoints" not in patched
        and "connected_endpoints" not in model
        and not has_offset(patched["updated_at"])
        and "api_key" not in model["configuration"]
        and empty.status_code == 201
        and types.status_code == 201
        and isinstance(types_read, dict) and types_read.get("name") == "types"
        and http.put("/models/", json={}).headers.get("allow") == "POST"
        and lone_surrogate_poisons_the_list.probe(http)
    )


@entry(
    "schema_conformance",
    defects=("SchemaCheckFailed",),
    also=REAL_SERVER_RULES,
    schema=True,
    services=(s.CreateAnswerWithoutEndpoints, s.PatchResponseWithoutEndpoints, s.TimestampsWithoutOffset,
              s.SecretsOmitted, s.ConfigurationNotValidated),
    wrappers=(*REAL_SERVER_WRAPPERS, w.TraceCrashes),
)
def real_server_with_a_crash_only_schemathesis_finds(http):
    """real_server_today plus a plain-text 500 to TRACE, a method only Schemathesis sends
    (schema_conformance, a Server error). The real server's known Schemathesis failures must
    not hide it (issue 6 §3).
    """
    return real_server_today.probe(http) and http.request("TRACE", "/models/").status_code == 500


@entry(
    "partial_update",
    defects=("SentFieldNotApplied",),
    also=REAL_SERVER_RULES,
    schema=True,
    services=(s.CreateAnswerWithoutEndpoints,
              s.PatchResponseWithoutEndpoints,  # outermost of the PATCH faults: those after it rebuild the answer
              s.PatchIgnoresTags, s.UpdatedAtFrozen, s.TimestampsWithoutOffset, s.SecretsOmitted,
              s.ConfigurationNotValidated),
    wrappers=REAL_SERVER_WRAPPERS,
)
def real_server_with_patch_regressions(http):
    """real_server_today plus two regressions in rules it already fails: PATCH ignores tags
    (partial_update, SentFieldNotApplied) and PATCH leaves updated_at alone (timestamps,
    UpdatedAtNotAdvanced). Neither may hide behind the known failure of its rule.
    """
    model = create(http, tags="a,b")
    patched = http.patch(f"/models/{model['name']}", json={"tags": "c"}).json()
    return real_server_today.probe(http) and patched["tags"] == "a,b" and patched["updated_at"] == model["updated_at"]

