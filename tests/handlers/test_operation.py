"""The contract's operations look their body definitions up once per media type (handlers.operation).

Connexion looked the definition up seven times per request with a body, matching media-type
ranges each time; what it found never changes while the mock runs.
"""

from __future__ import annotations

from connexion.operations import OpenAPIOperation
from connexion.resolver import Resolver

from handlers.operation import ContractOperation


def test_a_body_definition_is_looked_up_once_and_still_judges_bodies(monkeypatch, start_server):
    lookups = []
    original = OpenAPIOperation.body_definition

    def counted(self, content_type=None):
        lookups.append((self.operation_id, content_type))
        return original(self, content_type)

    monkeypatch.setattr(OpenAPIOperation, "body_definition", counted)
    with start_server().client() as http:
        name = http.get("/models/").json()[0]["name"]
        assert http.patch(f"/models/{name}", json={"summary": "first"}).status_code == 200
        first = len(lookups)
        for number in range(3):
            assert http.patch(f"/models/{name}", json={"summary": f"again {number}"}).json()["summary"] == f"again {number}"
        refused = http.patch(f"/models/{name}", json={"summary": 5})
        assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "summary"]

    assert first > 0 and len(lookups) == first  # the later PATCHes looked nothing up again
    assert ("updateModel", "application/json") in lookups


def test_the_cached_definition_is_connexions_own():
    definition = {"operationId": "patchIt", "responses": {},
                  "requestBody": {"content": {"application/*": {"schema": {"type": "object"}}}}}
    resolver = Resolver(function_resolver=lambda operation_id: print)
    operation, plain = (kind("patch", "/x", definition, resolver=resolver, components={"schemas": {}})
                        for kind in (ContractOperation, OpenAPIOperation))

    for media_type in ("application/json", "application/merge-patch+json", None, "text/plain"):
        assert operation.body_definition(media_type) == plain.body_definition(media_type)
        assert operation.body_definition(media_type) is operation.body_definition(media_type)
