"""The Models API as the rules call it: one method per operation, tracking what gets created.

Every create that answers 201 and every rename that answers 200 is reported to the tracker,
so the kit can always delete what it made, whatever the rule was in the middle of.
"""

from __future__ import annotations

from typing import Any

from conformance.client import WITH_TOKEN, Client, Reply
from conformance.effects import effects_of, parsed
from conformance.model_types import ModelRecipe
from conformance.routes import MODEL, MODELS, TYPE, TYPES
from conformance.tracker import Tracker
from conformance.violations import ContractViolation

__all__ = ["MODEL", "MODELS", "TYPE", "TYPES", "ModelsApi", "expect_not_found"]
_DEFAULT = object()


class ModelsApi:
    def __init__(self, client: Client, tracker: Tracker, recipe: ModelRecipe | None) -> None:
        self.client = client
        self.tracker = tracker
        self.recipe = recipe

    @property
    def tenant(self) -> str | None:
        return self.client.tenant

    def as_tenant(self, tenant: str | None) -> ModelsApi:
        return ModelsApi(self.client.as_tenant(tenant), self.tracker, self.recipe)

    def create_body(self, name: Any, **fields: Any) -> dict[str, Any]:
        """A valid create body for the learned type; `fields` override or add members."""
        assert self.recipe is not None, "no model type learned"
        body = {"name": name, "dtype": self.recipe.dtype, "configuration": dict(self.recipe.configuration)}
        body.update(fields)
        return body

    def send(
        self, method: str, template: str, *, name: str | None = None, body: Any = _DEFAULT,
        raw: bytes | None = None, authorization: Any = WITH_TOKEN, params: dict[str, str] | None = None,
    ) -> Reply:
        """Any request of the contract, keeping the tracker in step with what it did."""
        kwargs: dict[str, Any] = {"name": name, "params": params, "raw_body": raw, "authorization": authorization}
        if body is not _DEFAULT:
            kwargs["json_body"] = body
        reply = self.client.request(method, template, **kwargs)
        sent = body if body is not _DEFAULT else parsed(raw)
        answered = parsed(reply.exchange.text) if method == "POST" else None
        self.tracker.apply(self.tenant, effects_of(method, template, reply.status, name, sent, answered))
        return reply

    def create(self, name: Any, **fields: Any) -> Reply:
        return self.post(self.create_body(name, **fields))

    def post(self, body: Any) -> Reply:
        return self.send("POST", MODELS, body=body)

    def create_ok(self, name: str, **fields: Any) -> dict[str, Any]:
        """Create and return the model; anything but 201 fails the rule."""
        return self.create(name, **fields).expect(201, why="a valid create")

    def get(self, name: str) -> Reply:
        return self.send("GET", MODEL, name=name)

    def get_ok(self, name: str) -> dict[str, Any]:
        return self.get(name).expect(200, why="the model exists")

    def patch(self, name: str, body: Any = _DEFAULT, *, raw: bytes | None = None) -> Reply:
        return self.send("PATCH", MODEL, name=name, body=body, raw=raw)

    def delete(self, name: str) -> Reply:
        return self.send("DELETE", MODEL, name=name)

    def list(self) -> list[Any]:
        return self.client.request("GET", MODELS).expect(200, why="listing the tenant's models")

    def names(self) -> list[Any]:
        return [item.get("name") if isinstance(item, dict) else item for item in self.list()]


def expect_not_found(reply: Reply, violation: type[ContractViolation], why: str) -> None:
    """The answer must be 404. A success means the model is there after all (`violation`); any
    other status is only a wrong status (`UnexpectedStatus`), no evidence of that defect."""
    if 200 <= reply.status < 300:
        raise violation(
            f"{why}: {reply.exchange.describe()} answered {reply.status}, not 404",
            expected="404", actual=str(reply.status), evidence=[reply.exchange],
        )
    reply.expect(404, why=why)
