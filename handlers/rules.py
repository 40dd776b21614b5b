"""The Models API's business rules, in one place: every check, every message.

Handlers parse and shape; the store keeps state; this module decides. Messages and status
codes are the real server's (docs/contract.md §§3–9). It knows no HTTP framework (see the
package docstring).
"""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator

from handlers import clock
from handlers.documents import new_model, shown_fields, updates_sent
from handlers.errors import ApiError, RequestInvalid
from handlers.problems import describe_errors
from handlers.providers import ArgumentsRejected, KeyRejected, ProviderFailed, Providers
from handlers.secrets import OMITTED, SecretRules
from handlers.store import ModelMissing, ModelStore, NameTaken

DEFAULT_TENANT = "root"
TENANT_HEADER_REQUIRED = "X-Tenant-Name header is required for this endpoint when multi-tenancy is enabled"
INVALID_API_KEY = "Invalid API key. Please check your API key and try again."


class ModelService:
    """What the Models API does, given a store and the tenancy mode."""

    def __init__(
        self,
        store: ModelStore,
        *,
        strict_tenancy: bool = False,
        secrets: str = OMITTED,
        providers: Providers | None = None,
    ) -> None:
        self.store = store
        self.strict_tenancy = strict_tenancy
        self.secrets = SecretRules.from_contract(secrets)
        self.providers = providers if providers is not None else Providers({})

    # tenants ---------------------------------------------------------------------------------

    def resolve_tenant(self, header: str | None) -> str:
        """The tenant a request acts in, from its ``X-Tenant-Name`` header."""
        if header is None:
            if self.strict_tenancy:
                raise ApiError(400, TENANT_HEADER_REQUIRED)
            header = DEFAULT_TENANT
        tenant = self.store.tenant(header)
        if tenant is None:
            raise ApiError(404, f"Tenant '{header}' not found")
        if not tenant.get("active", True):
            raise ApiError(403, f"Tenant '{header}' is inactive")
        return header

    # model types -----------------------------------------------------------------------------

    def list_types(self) -> list[dict]:
        return self.store.model_types()

    def get_type(self, name: str) -> dict:
        found = self.store.model_type(name)
        if found is None:
            raise ApiError(404, f"Model type '{name}' not found")
        return found

    def get_type_schema(self, name: str) -> dict:
        return self.get_type(name)["config_schema"]

    def run_type_action(self, dtype: str, action_name: str, arguments: dict) -> dict:
        """A type's action, answered offline by the fixtures' providers (docs/contract.md §9b)."""
        self.get_type(dtype)
        actions = self.providers.actions(dtype)
        if not actions:
            raise ApiError(404, f"Model type '{dtype}' does not support actions")
        if action_name not in actions:
            raise ApiError(404, f"Action '{action_name}' not found on model type '{dtype}'. Available: {list(actions)}")
        try:
            return self.providers.run(actions[action_name], arguments)
        except ArgumentsRejected as exc:
            raise ApiError(422, str(exc)) from None
        except KeyRejected:
            raise ApiError(422, INVALID_API_KEY) from None
        except ProviderFailed:
            raise ApiError(502, f"Action '{action_name}' failed. Please check your parameters and try again.") from None

    # models ----------------------------------------------------------------------------------

    def list_models(self, tenant: str) -> list[dict]:
        return [self.present(doc, list_item=True) for doc in self.store.list(tenant)]

    def list_models_json(self, tenant: str) -> bytes:
        """``json.dumps(self.list_models(tenant))`` as bytes, with each model's JSON kept per stored
        version.

        ``present`` is a function of the stored document alone, so its JSON can be kept until the
        model's next write. A subclass that redefines ``list_models`` or ``present`` (the faulty
        servers of the tests) is encoded whole, as it answers.
        """
        if type(self).list_models is not ModelService.list_models or type(self).present is not ModelService.present:
            return json.dumps(self.list_models(tenant)).encode()
        return self.store.list_json(tenant, lambda doc: json.dumps(self.present(doc, list_item=True)).encode())

    def get_model(self, tenant: str, name: str) -> dict:
        doc = self.store.get(tenant, name)
        if doc is None:
            raise _model_not_found(name)
        return self.present(doc)

    def model_health(self, tenant: str, name: str) -> dict:
        """The provider check of a model: a failing check is still an answer, never an error."""
        doc = self.store.get(tenant, name)
        if doc is None:
            raise _model_not_found(name)
        return self.providers.health(doc)

    def create_model(self, tenant: str, body: dict) -> dict:
        model_type = self.store.model_type(body["dtype"])
        if model_type is None:
            raise ApiError(400, f"Model type '{body['dtype']}' not found")
        checker = Draft202012Validator(model_type.get("config_schema") or {})
        problems = describe_errors(checker.iter_errors(body["configuration"]), ["body", "configuration"])
        if problems:
            raise RequestInvalid(problems, body)
        document = new_model(tenant, body, clock.now())
        try:
            return self.present(self.store.insert(document))
        except NameTaken:
            raise ApiError(409, f"Model '{body['name']}' already exists") from None

    def update_model(self, tenant: str, name: str, body: dict) -> dict:
        """Partial update: only the updatable fields sent as strings change (docs/contract.md §7)."""
        sent = updates_sent(body)

        def changes_for(current: dict) -> dict:
            return {**sent, "updated_at": clock.after(current["updated_at"], current["created_at"])}

        try:
            return self.present(self.store.update(tenant, name, changes_for))
        except ModelMissing:
            raise _model_not_found(name) from None
        except NameTaken:
            raise ApiError(409, f"Model '{sent['name']}' already exists for this tenant") from None

    def delete_model(self, tenant: str, name: str) -> dict:
        try:
            self.store.delete(tenant, name)
        except ModelMissing:
            raise _model_not_found(name) from None
        return {"message": f"Successfully deleted model '{name}'"}

    # representation --------------------------------------------------------------------------

    def present(self, doc: dict, *, list_item: bool = False) -> dict:
        """A stored model as the API shows it: no tenant, secrets hidden."""
        model_type = self.store.model_type(doc["dtype"]) or {}
        shown = shown_fields(doc, list_item=list_item)
        shown["configuration"] = self.secrets.shown(doc["configuration"], model_type.get("config_schema"))
        return shown

    def shown_problems(self, invalid: RequestInvalid) -> list[dict]:
        """A 422's entries with every secret hidden from their ``input`` (docs/contract.md §9)."""
        body = invalid.body if isinstance(invalid.body, dict) else {}
        dtype = body.get("dtype")
        model_type = self.store.model_type(dtype) if isinstance(dtype, str) else None
        schema = {"properties": {"configuration": (model_type or {}).get("config_schema")}}
        shown = []
        for entry in invalid.errors:
            path = entry["loc"][1:-1] if entry["type"] == "missing" else entry["loc"][1:]  # input: the parent
            shown.append({**entry, "input": self.secrets.shown_at(path, entry["input"], schema)})
        return shown


def _model_not_found(name: str) -> ApiError:
    return ApiError(404, f"Model '{name}' not found")
