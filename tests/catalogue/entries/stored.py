"""Entries breaking what a write stores or shows: create_stored, stored_data_readable,
length_limits, secrets hidden in nested places, and the 405's Allow header (method_not_allowed)."""

from __future__ import annotations

import json

from tests.catalogue import services as s
from tests.catalogue import wrappers as w
from tests.catalogue.base import entry
from tests.catalogue.probing import body, create, fresh, get

# create_stored ---------------------------------------------------------------------------------


@entry(
    "create_stored",
    defects=("SentFieldNotStored",),
    may=("stored_data_readable",),  # a value created in summary or tags does not read back there
    services=(s.CreateSwapsSummaryAndTags,),
)
def create_swaps_summary_and_tags(http):
    """Create stores the summary as tags and the tags as summary (create_stored)."""
    model = create(http, summary="ck summary", tags="ck,tags")
    return get(http, model["name"]).json()["tags"] == "ck summary"


@entry(
    "create_stored",
    defects=("SentFieldNotStored",),
    may=("stored_data_readable",),  # a value created in tags does not read back there
    services=(s.CreateDropsTags,),
)
def create_drops_tags(http):
    """Create ignores the tags sent, storing the default "" (create_stored)."""
    model = create(http, tags="ck,tags")
    return get(http, model["name"]).json()["tags"] == ""


# stored_data_readable --------------------------------------------------------------------------


@entry(
    "stored_data_readable",
    defects=("ServerError", "StoredDataUnreadable"),
    also=("response_schema",),  # a 500 is a status no operation documents
    wrappers=(w.LoneSurrogatesPoison,),
)
def lone_surrogate_poisons_the_list(http):
    """A lone surrogate in a configuration value is stored, the create answers a plain-text
    500, and every later list of the tenant is a 500 until the model is deleted
    (stored_data_readable)."""
    name = fresh()
    sent = json.dumps(body(name, configuration={**body()["configuration"], "note": "\ud800"})).encode()
    created = http.post("/models/", content=sent, headers={"Content-Type": "application/json"})
    listed = http.get("/models/")
    http.delete(f"/models/{name}")
    return created.status_code == 500 and listed.status_code == 500


# length_limits ---------------------------------------------------------------------------------


@entry(
    "length_limits",
    defects=("LengthLimitNotEnforced",),
    schema=True,  # no other rule may fail for it, the Schemathesis phase included
    wrappers=(w.LengthLimitsIgnored,),
)
def length_limits_ignored(http):
    """name, summary and tags longer than the contract's maxLength are accepted (length_limits)."""
    model = http.post("/models/", json=body(summary="x" * 10_001))
    if model.status_code != 201:
        return False
    http.delete(f"/models/{model.json()['name']}")
    return True


# method_not_allowed ----------------------------------------------------------------------------


@entry("method_not_allowed", defects=("AllowHeaderWrong",), wrappers=(w.AllowListsOneMethod,))
def allow_lists_one_method(http):
    """A 405's Allow header lists one method, e.g. Allow: POST on /models/ (method_not_allowed)."""
    return http.put("/models/", json={}).headers.get("allow") == "POST"


# secrets ---------------------------------------------------------------------------------------


@entry("secrets", defects=("SecretExposed",), services=(s.OnlyTopLevelSecretsHidden,))
def nested_secrets_in_full(http):
    """Only top-level secrets are masked: one inside a list, a nested object or a URL's password comes back in full (secrets)."""
    nested = "sk-probe-nested-0123456789"
    model = create(http, configuration={**body()["configuration"], "extra": [{"api_key": nested}]})
    return nested in get(http, model["name"]).text
