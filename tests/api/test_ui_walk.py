"""The whole models surface as the product's web UI uses it (issue 11, docs/contract.md §9b).

One walk, in the order of the create-model dialog and then the model page: types, schema,
available models, create, get, health, patch, rename, delete. Every answer is checked against
the contract (status documented, body valid under its schema) by the kit's own contract reader,
and against what the step means for the next one.
"""

from __future__ import annotations

from typing import Any

import httpx

from conformance.contract import Contract

CONTRACT = Contract.load()
API_KEY = "sk-walk-0123456789abcdef"


class Walk:
    """A client that checks every answer against the contract before the test looks at it."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.steps: list[str] = []

    def call(self, method: str, template: str, status: int, *, path: str | None = None,
             body: Any = None, headers: dict | None = None) -> Any:
        response = self.http.request(method, path or template, json=body, headers=headers or {})
        self.steps.append(f"{method} {template} -> {response.status_code}")
        assert response.status_code == status, (self.steps, response.text[:300])
        assert response.headers["content-type"].startswith("application/json"), response.headers
        answer = response.json()
        assert CONTRACT.response_problems(method, template, status, answer) == [], (method, template, answer)
        return answer


def secret_not_in_full(configuration: dict) -> None:
    """What the model page renders: a key omitted or masked, never the key itself."""
    assert configuration.get("api_key") != API_KEY
    assert API_KEY not in str(configuration)


def test_the_create_dialog_then_the_model_page(fresh_server):
    with fresh_server.client() as http:
        walk = Walk(http)

        # the create-model dialog: pick a type, build the form, fill the model picker
        types = walk.call("GET", "/models/types/", 200)
        openai = next(item for item in types if item["name"] == "openai")
        assert openai["enabled"] is True and openai["icon"]
        schema = walk.call("GET", "/models/types/{name}/schema", 200, path="/models/types/openai/schema")
        assert schema == openai["config_schema"]
        base_url = schema["properties"]["base_url"]["default"]
        fetched = walk.call("POST", "/models/types/{dtype}/actions/{action_name}", 200,
                            path="/models/types/openai/actions/fetch_available_models",
                            body={"base_url": base_url, "api_key": API_KEY})
        ids = [model["id"] for model in fetched["models"]]
        assert ids and ids == sorted(ids)

        # create, then the model page
        configuration = {"api_key": API_KEY, "model": ids[0], "base_url": base_url}
        created = walk.call("POST", "/models/", 201, body={
            "name": "walk-assistant", "dtype": "openai", "configuration": configuration,
            "summary": "Made by the walk", "tags": "walk"})
        secret_not_in_full(created["configuration"])
        assert created["configuration"]["model"] == ids[0]
        listed = walk.call("GET", "/models/", 200)
        assert [item["id"] for item in listed if item["name"] == "walk-assistant"] == [created["id"]]
        page = walk.call("GET", "/models/{name}", 200, path="/models/walk-assistant")
        assert page == created
        health = walk.call("GET", "/models/{name}/health", 200, path="/models/walk-assistant/health")
        assert health["status"] == "healthy"
        with httpx.Client(base_url=fresh_server.base_url) as anonymous:  # public: the page may ask without a key
            assert anonymous.get("/models/walk-assistant/health").json() == health

        # edit, rename, delete
        patched = walk.call("PATCH", "/models/{name}", 200, path="/models/walk-assistant",
                            body={"summary": "Edited on the model page", "tags": "walk,edited"})
        assert (patched["summary"], patched["tags"]) == ("Edited on the model page", "walk,edited")
        assert patched == walk.call("GET", "/models/{name}", 200, path="/models/walk-assistant")
        renamed = walk.call("PATCH", "/models/{name}", 200, path="/models/walk-assistant",
                            body={"name": "walk-renamed"})
        assert (renamed["id"], renamed["name"]) == (created["id"], "walk-renamed")
        walk.call("GET", "/models/{name}", 404, path="/models/walk-assistant")
        walk.call("GET", "/models/{name}/health", 200, path="/models/walk-renamed/health")
        deleted = walk.call("DELETE", "/models/{name}", 200, path="/models/walk-renamed")
        assert deleted == {"message": "Successfully deleted model 'walk-renamed'"}
        walk.call("GET", "/models/{name}", 404, path="/models/walk-renamed")
        walk.call("GET", "/models/{name}/health", 404, path="/models/walk-renamed/health")
        assert "walk-renamed" not in [item["name"] for item in walk.call("GET", "/models/", 200)]


def test_the_dialogs_error_paths(fresh_server):
    """What the dialog shows when the key is refused (422, not a logout) or the provider fails (502)."""
    with fresh_server.client() as http:
        walk = Walk(http)
        template = "/models/types/{dtype}/actions/{action_name}"
        path = "/models/types/openai/actions/fetch_available_models"
        refused = walk.call("POST", template, 422, path=path,
                            body={"base_url": "https://api.openai.com/v1", "api_key": "sk-invalid"})
        assert refused == {"detail": "Invalid API key. Please check your API key and try again."}
        failed = walk.call("POST", template, 502, path=path,
                           body={"base_url": "https://api.openai.com/v1", "api_key": "sk-unreachable"})
        assert failed["detail"].startswith("Action 'fetch_available_models' failed")
        walk.call("POST", template, 404, path="/models/types/ollama/actions/fetch_available_models", body={})
        assert walk.call("GET", "/models/", 200) == walk.call("GET", "/models/", 200)
