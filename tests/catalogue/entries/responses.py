"""Entries breaking the shape of answers: response_schema, schema_conformance."""

from __future__ import annotations

from tests.catalogue import services as s
from tests.catalogue import wrappers as w
from tests.catalogue.base import entry
from tests.catalogue.probing import create, fresh, get

# response_schema -------------------------------------------------------------------------------


@entry(
    "response_schema",
    defects=("ResponseShapeMismatch",),
    also=("partial_update",),  # the PATCH response must equal the following GET, which has them
    services=(s.PatchResponseWithoutEndpoints,),
)
def patch_response_without_endpoints(http):
    """The PATCH response leaves out connected_endpoints (response_schema)."""
    model = create(http)
    return "connected_endpoints" not in http.patch(f"/models/{model['name']}", json={"summary": "s"}).json()


@entry("response_schema", defects=("ResponseShapeMismatch",), wrappers=(w.NotFoundWithoutDetail,))
def not_found_without_detail(http):
    """404 bodies are {"error": ...} instead of {"detail": ...} (response_schema)."""
    return "detail" not in get(http, fresh("ghost")).json()


# schema_conformance ----------------------------------------------------------------------------


@entry("schema_conformance", defects=("SchemaCheckFailed",), schema=True, wrappers=(w.NonObjectBodyCrashes,))
def non_object_body_crashes(http):
    """POST or PATCH with a JSON body that is not an object answers a plain-text 500 (schema_conformance)."""
    return http.post("/models/", json=[1, 2]).status_code == 500
