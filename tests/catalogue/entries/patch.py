"""Entries breaking what a PATCH may change: partial_update, null_means_unchanged,
immutable_fields, timestamps."""

from __future__ import annotations

from tests.catalogue import services as s
from tests.catalogue import wrappers as w
from tests.catalogue.base import entry
from tests.catalogue.probing import create, get, has_offset

# partial_update --------------------------------------------------------------------------------


@entry("partial_update", defects=("UnsentFieldChanged",), may=("null_means_unchanged",),
       services=(s.PatchClearsUnsentFields,))
def patch_clears_unsent_fields(http):
    """PATCH clears the summary and tags the body did not send (partial_update)."""
    model = create(http, summary="keep me", tags="a,b")
    http.patch(f"/models/{model['name']}", json={"summary": "new"})
    return get(http, model["name"]).json()["tags"] != "a,b"


# null_means_unchanged --------------------------------------------------------------------------


@entry("null_means_unchanged", defects=("NullTreatedAsValue",), may=("partial_update",),
       services=(s.PatchNullMeansEmpty,))
def patch_null_sets_empty(http):
    """PATCH treats a null summary or tags as "set to the empty string" (null_means_unchanged)."""
    model = create(http, summary="keep me", tags="a,b")
    http.patch(f"/models/{model['name']}", json={"summary": None, "tags": "c"})
    return get(http, model["name"]).json()["summary"] != "keep me"


@entry(
    "null_means_unchanged",
    defects=("EmptyUpdateAccepted",),
    may=("partial_update", "immutable_fields", "timestamps"),  # each checks that such a body is 422
    wrappers=(w.EmptyPatchAccepted,),
)
def empty_patch_accepted(http):
    """PATCH without any updatable field ({} or only unknown fields) answers 200 instead of 422 (null_means_unchanged)."""
    model = create(http)
    return http.patch(f"/models/{model['name']}", json={"configuration": {"model": "x"}}).status_code != 422


# immutable_fields ------------------------------------------------------------------------------


@entry("immutable_fields", defects=("ImmutableFieldChanged",), may=("partial_update",),
       services=(s.PatchAppliesConfiguration,))
def patch_applies_configuration(http):
    """PATCH applies a configuration sent in the body (immutable_fields)."""
    model = create(http)
    http.patch(f"/models/{model['name']}", json={"summary": "s", "configuration": {"model": "changed"}})
    return get(http, model["name"]).json()["configuration"] != model["configuration"]


@entry("immutable_fields", defects=("ImmutableFieldChanged",), may=("partial_update",),
       services=(s.PatchAppliesDtype,))
def patch_applies_dtype(http):
    """PATCH applies a dtype sent in the body (immutable_fields)."""
    model = create(http)
    http.patch(f"/models/{model['name']}", json={"summary": "s", "dtype": "ollama"})
    return get(http, model["name"]).json()["dtype"] != "openai"


@entry(
    "immutable_fields",
    defects=("ImmutableFieldChanged",),
    # an unsent field changes, and a renamed model no longer has the same id
    may=("partial_update", "null_means_unchanged", "name_conflicts"),
    services=(s.PatchRegeneratesId,),
)
def patch_regenerates_id(http):
    """Every PATCH gives the model a new id (immutable_fields)."""
    model = create(http)
    return http.patch(f"/models/{model['name']}", json={"summary": "s"}).json()["id"] != model["id"]


# timestamps ------------------------------------------------------------------------------------


@entry("timestamps", defects=("UpdatedAtNotAdvanced",), services=(s.UpdatedAtFrozen,))
def updated_at_never_moves(http):
    """updated_at stays at its creation value through every PATCH (timestamps)."""
    model = create(http)
    return http.patch(f"/models/{model['name']}", json={"summary": "s"}).json()["updated_at"] == model["updated_at"]


@entry(
    "timestamps",
    defects=("CreatedAtMoved",),
    also=("immutable_fields",),
    may=("partial_update", "null_means_unchanged"),  # created_at is also a field the PATCH did not send
    services=(s.CreatedAtResetOnPatch,),
)
def created_at_reset_on_patch(http):
    """PATCH sets created_at to the time of the update (timestamps; created_at is also an immutable field)."""
    model = create(http)
    return http.patch(f"/models/{model['name']}", json={"summary": "s"}).json()["created_at"] != model["created_at"]


@entry("timestamps", defects=("TimestampWithoutOffset",), also=("response_schema",),
       services=(s.TimestampsWithoutOffset,))
def timestamps_without_offset(http):
    """Timestamps carry no UTC offset, e.g. 2024-03-15T10:30:00.123456 (timestamps; the Timestamp schema in response_schema too)."""
    model = create(http)
    return not (has_offset(model["created_at"]) and has_offset(model["updated_at"]))
