"""Service modifiers: each a ``ModelService`` subclass breaking (or varying) exactly one rule.

Each overrides as little as it can and calls ``super()`` for the rest, so any of them stack
with :func:`tests.catalogue.base.stack`. A modifier that needs state of its own (aliases,
tombstones) keeps it on the instance; every server gets a fresh instance.
"""

from __future__ import annotations

import uuid

from handlers import clock
from handlers.documents import new_model
from handlers.errors import ApiError
from handlers.fixtures import DEFAULT_FIXTURES, load_seed
from handlers.rules import DEFAULT_TENANT, ModelService
from handlers.secrets import SecretRules, mask
from handlers.store import NameTaken
from tests.contract import CLEARABLE_FIELDS


def _sent_name(body: dict) -> str | None:
    value = body.get("name")
    return value if isinstance(value, str) else None


class Modifier(ModelService):
    """Shared helpers of the modifiers (no behaviour of its own)."""

    def _set(self, tenant: str, name: str, changes: dict) -> dict:
        """Write ``changes`` into the stored model and return it as the API shows it."""
        return self.present(self.store.update(tenant, name, lambda _current: dict(changes)))

    def _names(self, tenant: str) -> list[str]:
        return [doc["name"] for doc in self.store.list(tenant)]


# partial_update ------------------------------------------------------------------------------


class PatchClearsUnsentFields(Modifier):
    """PATCH resets ``summary`` and ``tags`` to "" when the body does not carry them."""

    def update_model(self, tenant, name, body):
        cleared = {field: "" for field in CLEARABLE_FIELDS if field not in body}
        return super().update_model(tenant, name, {**body, **cleared})


# null_means_unchanged ------------------------------------------------------------------------


class PatchNullMeansEmpty(Modifier):
    """PATCH reads ``"summary": null`` / ``"tags": null`` as "set to the empty string"."""

    def update_model(self, tenant, name, body):
        nulls = {field: "" for field in CLEARABLE_FIELDS if field in body and body[field] is None}
        return super().update_model(tenant, name, {**body, **nulls})


# immutable_fields ----------------------------------------------------------------------------


def patch_applies(field: str, kind: type) -> type[Modifier]:
    """A modifier whose PATCH copies ``field`` from the body into the model when it is a ``kind``."""

    class PatchAppliesField(Modifier):
        def update_model(self, tenant, name, body):
            result = super().update_model(tenant, name, body)
            if isinstance(body.get(field), kind):
                return self._set(tenant, result["name"], {field: body[field]})
            return result

    PatchAppliesField.__name__ = PatchAppliesField.__qualname__ = f"PatchApplies_{field}"
    PatchAppliesField.__doc__ = f"PATCH copies a ``{field}`` sent in the body into the model."
    return PatchAppliesField


PatchAppliesConfiguration = patch_applies("configuration", dict)
PatchAppliesDtype = patch_applies("dtype", str)


class PatchIgnoresTags(Modifier):
    """PATCH answers 200 but never applies ``tags`` (the block that sets them is gone)."""

    def update_model(self, tenant, name, body):
        rest = {key: value for key, value in body.items() if key != "tags"}
        if not any(isinstance(rest.get(field), str) for field in ("name", "summary")):
            rest["name"] = name  # nothing else to apply: the write still succeeds, unchanged
        return super().update_model(tenant, name, rest)


class PatchRegeneratesId(Modifier):
    """Every successful PATCH gives the model a new ``id`` (an update written as delete + insert)."""

    def update_model(self, tenant, name, body):
        result = super().update_model(tenant, name, body)
        return self._set(tenant, result["name"], {"id": str(uuid.uuid4())})


# timestamps ----------------------------------------------------------------------------------


class UpdatedAtFrozen(Modifier):
    """PATCH writes the new values but never touches ``updated_at``."""

    def update_model(self, tenant, name, body):
        before = self.store.get(tenant, name)
        result = super().update_model(tenant, name, body)
        return self._set(tenant, result["name"], {"updated_at": before["updated_at"]})


class CreatedAtResetOnPatch(Modifier):
    """PATCH sets ``created_at`` to the update's time, as an upsert that rewrites the row would."""

    def update_model(self, tenant, name, body):
        doc = self.store.get(tenant, super().update_model(tenant, name, body)["name"])
        return self._set(tenant, doc["name"], {"created_at": doc["updated_at"]})


class TimestampsWithoutOffset(Modifier):
    """Timestamps leave without an offset (``2024-03-15T10:30:00.123456``), as naive datetimes."""

    def present(self, doc, *, list_item=False):
        shown = super().present(doc, list_item=list_item)
        for field in ("created_at", "updated_at"):
            if field in shown:
                shown[field] = clock.parse(shown[field]).replace(tzinfo=None).isoformat()
        return shown


class TimestampsWithNumericOffset(Modifier):
    """(correct) Timestamps carry ``+00:00`` instead of ``Z``: the contract leaves that open."""

    def present(self, doc, *, list_item=False):
        shown = super().present(doc, list_item=list_item)
        for field in ("created_at", "updated_at"):
            if field in shown:
                shown[field] = clock.parse(shown[field]).isoformat()
        return shown


# name_conflicts ------------------------------------------------------------------------------


class RenameOverwritesTakenName(Modifier):
    """A rename onto a name another model holds answers 200 and replaces that model."""

    def update_model(self, tenant, name, body):
        new = _sent_name(body)
        if new is not None and new != name and self.store.get(tenant, name) and self.store.get(tenant, new):
            self.store.delete(tenant, new)
        return super().update_model(tenant, name, body)


class ConflictAppliesRestFirst(Modifier):
    """A rename onto a taken name writes ``summary`` / ``tags`` first, then answers 409."""

    def update_model(self, tenant, name, body):
        new = _sent_name(body)
        if new is not None and new != name and self.store.get(tenant, name) and self.store.get(tenant, new):
            rest = {field: body[field] for field in CLEARABLE_FIELDS if isinstance(body.get(field), str)}
            if rest:
                self._set(tenant, name, rest)
            raise ApiError(409, f"Model '{new}' already exists for this tenant")
        return super().update_model(tenant, name, body)


class CaseInsensitiveNames(Modifier):
    """Names that differ only in case (or surrounding whitespace) count as the same name."""

    @staticmethod
    def _key(name: str) -> str:
        return name.strip().casefold()

    def _clash(self, tenant: str, wanted: str, own: str | None) -> str | None:
        return next(
            (held for held in self._names(tenant) if held != own and self._key(held) == self._key(wanted)),
            None,
        )

    def create_model(self, tenant, body):
        if isinstance(body.get("name"), str) and self._clash(tenant, body["name"], None):
            raise ApiError(409, f"Model '{body['name']}' already exists")
        return super().create_model(tenant, body)

    def update_model(self, tenant, name, body):
        new = _sent_name(body)
        if new is not None and self.store.get(tenant, name) and self._clash(tenant, new, name):
            raise ApiError(409, f"Model '{new}' already exists for this tenant")
        return super().update_model(tenant, name, body)


class OldNameStillAnswers(Modifier):
    """After a rename, GET of the old name still returns the model (a stale alias)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._aliases: dict[tuple[str, str], str] = {}

    def update_model(self, tenant, name, body):
        result = super().update_model(tenant, name, body)
        if result["name"] != name:
            self._aliases[(tenant, name)] = result["name"]
        return result

    def get_model(self, tenant, name):
        try:
            return super().get_model(tenant, name)
        except ApiError as error:
            alias = self._aliases.get((tenant, name))
            if error.status != 404 or alias is None:
                raise
            return super().get_model(tenant, alias)


class DeletedNameStaysTaken(Modifier):
    """The name of a deleted model stays reserved: creating or renaming onto it is 409."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._tombstones: set[tuple[str, str]] = set()

    def delete_model(self, tenant, name):
        answer = super().delete_model(tenant, name)
        self._tombstones.add((tenant, name))
        return answer

    def create_model(self, tenant, body):
        if (tenant, body.get("name")) in self._tombstones:
            raise ApiError(409, f"Model '{body['name']}' already exists")
        return super().create_model(tenant, body)

    def update_model(self, tenant, name, body):
        new = _sent_name(body)
        if new is not None and (tenant, new) in self._tombstones and self.store.get(tenant, name):
            raise ApiError(409, f"Model '{new}' already exists for this tenant")
        return super().update_model(tenant, name, body)


# name_rules ----------------------------------------------------------------------------------
# Names are checked by the contract's request schema, before the service: see
# wrappers.InvalidNamesAccepted.


# configuration_validated ---------------------------------------------------------------------


class ConfigurationNotValidated(Modifier):
    """Create stores any ``configuration`` object without checking the type's ``config_schema``.

    The ordinary create with the schema check left out; it does not call ``super()``, so put it
    last in a stack.
    """

    def create_model(self, tenant, body):
        if self.store.model_type(body["dtype"]) is None:
            raise ApiError(400, f"Model type '{body['dtype']}' not found")
        try:
            return self.present(self.store.insert(new_model(tenant, body, clock.now())))
        except NameTaken:
            raise ApiError(409, f"Model '{body['name']}' already exists") from None


# not_found -----------------------------------------------------------------------------------


class PatchUnknownCreates(Modifier):
    """PATCH of an unknown name creates the model (an upsert) and answers 200."""

    def update_model(self, tenant, name, body):
        if self.store.get(tenant, name) is None:
            dtype = self.store.model_types()[0]["name"]
            self.store.insert(new_model(tenant, {"name": name, "dtype": dtype, "configuration": {}}, clock.now()))
        return super().update_model(tenant, name, body)


class DeleteUnknownSucceeds(Modifier):
    """DELETE of an unknown name answers 200 "Successfully deleted" instead of 404."""

    def delete_model(self, tenant, name):
        try:
            return super().delete_model(tenant, name)
        except ApiError as error:
            if error.status != 404:
                raise
            return {"message": f"Successfully deleted model '{name}'"}


class NotFoundAnswers409(Modifier):
    """A model that does not exist answers 409 instead of 404 (GET, PATCH, DELETE)."""

    def _as_409(self, call, *args):
        try:
            return call(*args)
        except ApiError as error:
            if error.status == 404 and str(error.detail).startswith("Model '"):
                raise ApiError(409, error.detail) from None
            raise

    def get_model(self, tenant, name):
        return self._as_409(super().get_model, tenant, name)

    def update_model(self, tenant, name, body):
        return self._as_409(super().update_model, tenant, name, body)

    def delete_model(self, tenant, name):
        return self._as_409(super().delete_model, tenant, name)


# tenant_isolation ----------------------------------------------------------------------------


class TenantHeaderIgnored(Modifier):
    """Every request acts in the default tenant, whatever X-Tenant-Name says (single-tenant mode)."""

    def resolve_tenant(self, header):
        return super().resolve_tenant(None)


class WritesFallBackToDefaultTenant(Modifier):
    """PATCH and DELETE of a name missing in the tenant act on the default tenant's model."""

    def _writable_tenant(self, tenant: str, name: str) -> str:
        if self.store.get(tenant, name) is None and self.store.get(DEFAULT_TENANT, name) is not None:
            return DEFAULT_TENANT
        return tenant

    def update_model(self, tenant, name, body):
        return super().update_model(self._writable_tenant(tenant, name), name, body)

    def delete_model(self, tenant, name):
        return super().delete_model(self._writable_tenant(tenant, name), name)


class NamesUniqueAcrossTenants(Modifier):
    """Create checks name conflicts in every tenant, not only the request's own."""

    _TENANTS = tuple(doc["name"] for doc in load_seed(DEFAULT_FIXTURES).tenants)

    def create_model(self, tenant, body):
        name = body.get("name")
        if isinstance(name, str) and any(self.store.get(other, name) for other in self._TENANTS):
            raise ApiError(409, f"Model '{name}' already exists")
        return super().create_model(tenant, body)


# secrets -------------------------------------------------------------------------------------


class SecretsInFull(Modifier):
    """Responses carry the stored configuration as it was sent, ``api_key`` included."""

    def present(self, doc, *, list_item=False):
        shown = super().present(doc, list_item=list_item)
        shown["configuration"] = doc["configuration"]
        return shown


class SecretsOmitted(Modifier):
    """(correct) Secrets are left out of every response, as the real server's newest version does."""

    def present(self, doc, *, list_item=False):
        shown = super().present(doc, list_item=list_item)
        schema = (self.store.model_type(doc["dtype"]) or {}).get("config_schema")
        shown["configuration"] = SecretRules.from_contract().shown(doc["configuration"], schema)
        return shown


# delete --------------------------------------------------------------------------------------


class ListKeepsDeleted(Modifier):
    """DELETE answers 200 and the model is gone by name, but the list still shows it (stale cache)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._ghosts: dict[str, dict[str, dict]] = {}

    def delete_model(self, tenant, name):
        doc = self.store.get(tenant, name)
        answer = super().delete_model(tenant, name)
        self._ghosts.setdefault(tenant, {})[name] = self.present(doc, list_item=True)
        return answer

    def create_model(self, tenant, body):
        created = super().create_model(tenant, body)
        self._ghosts.get(tenant, {}).pop(created["name"], None)
        return created

    def list_models(self, tenant):
        live = super().list_models(tenant)
        held = {item["name"] for item in live}
        ghosts = [item for name, item in self._ghosts.get(tenant, {}).items() if name not in held]
        return sorted(live + ghosts, key=lambda item: item["name"])


class GetServesDeleted(Modifier):
    """DELETE answers 200, yet GET by name keeps answering the deleted model (stale cache)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._ghosts: dict[tuple[str, str], dict] = {}

    def delete_model(self, tenant, name):
        doc = self.store.get(tenant, name)
        answer = super().delete_model(tenant, name)
        self._ghosts[(tenant, name)] = self.present(doc) if doc else None
        return answer

    def get_model(self, tenant, name):
        try:
            return super().get_model(tenant, name)
        except ApiError as error:
            ghost = self._ghosts.get((tenant, name))
            if error.status != 404 or ghost is None:
                raise
            return ghost


# response_schema -----------------------------------------------------------------------------


class DeleteAnswersEmptyObject(Modifier):
    """DELETE deletes, then answers 200 with ``{}`` instead of ``{"message": ...}``."""

    def delete_model(self, tenant, name):
        super().delete_model(tenant, name)
        return {}


class PatchResponseWithoutEndpoints(Modifier):
    """The PATCH response leaves out ``connected_endpoints`` (GET still has them)."""

    def update_model(self, tenant, name, body):
        result = super().update_model(tenant, name, body)
        result.pop("connected_endpoints", None)
        return result


# create_stored -------------------------------------------------------------------------------


class CreateSwapsSummaryAndTags(Modifier):
    """Create stores the sent summary as tags and the sent tags as summary."""

    def create_model(self, tenant, body):
        swapped = {**body, "summary": body.get("tags", ""), "tags": body.get("summary", "")}
        return super().create_model(tenant, swapped)


class CreateDropsTags(Modifier):
    """Create ignores the sent tags: the model is stored with the default ""."""

    def create_model(self, tenant, body):
        return super().create_model(tenant, {key: value for key, value in body.items() if key != "tags"})


class CreateAnswerWithoutEndpoints(Modifier):
    """The 201 answer of a create leaves out connected_endpoints (GET has them)."""

    def create_model(self, tenant, body):
        answer = super().create_model(tenant, body)
        answer.pop("connected_endpoints", None)
        return answer


# secrets -------------------------------------------------------------------------------------


class OnlyTopLevelSecretsHidden(Modifier):
    """Only top-level members named like secrets are masked: a secret inside a list or a nested
    object, and the password of a URL, come back in full (the old masking routine)."""

    def present(self, doc, *, list_item=False):
        shown = super().present(doc, list_item=list_item)
        pattern = SecretRules.from_contract().name_pattern
        shown["configuration"] = {
            key: (mask(value) if isinstance(value, str) and pattern.search(key) else value)
            for key, value in doc["configuration"].items()
        }
        return shown



# the web UI's routes (type_schema, type_actions, health_tenant_scoped) -----------------------


class TypeSchemaWithoutRequired(Modifier):
    """The schema route leaves out the type's ``required`` list (GET of the type still has it)."""

    def get_type_schema(self, name):
        return {key: value for key, value in super().get_type_schema(name).items() if key != "required"}


class UnknownActionsAnswerEmpty(Modifier):
    """An unknown type or action answers 200 with no models instead of 404."""

    def run_type_action(self, dtype, action_name, arguments):
        try:
            return super().run_type_action(dtype, action_name, arguments)
        except ApiError as error:
            if error.status != 404:
                raise
            return {"models": []}


class ActionsSaveModels(Modifier):
    """Every action call saves the models of its type, in every tenant: their ``updated_at`` moves."""

    _TENANTS = tuple(doc["name"] for doc in load_seed(DEFAULT_FIXTURES).tenants)

    def run_type_action(self, dtype, action_name, arguments):
        for tenant in self._TENANTS:
            for doc in self.store.list(tenant):
                if doc["dtype"] == dtype:
                    self.store.update(tenant, doc["name"], lambda current: {
                        "updated_at": clock.after(current["updated_at"], current["created_at"])})
        return super().run_type_action(dtype, action_name, arguments)


class HealthAcrossTenants(Modifier):
    """The health route finds a model in any tenant, its own first."""

    _TENANTS = tuple(doc["name"] for doc in load_seed(DEFAULT_FIXTURES).tenants)

    def model_health(self, tenant, name):
        owner = next((other for other in (tenant, *self._TENANTS) if self.store.get(other, name)), tenant)
        return super().model_health(owner, name)
