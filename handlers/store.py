"""The mock's state in TinyDB behind a small interface: get, list, insert, update, delete.

Lookups by (tenant, name) go through an in-memory index of document ids, so reading or
writing one model costs the same with 100 or 100,000 models. One lock serialises every
access: Connexion runs handlers on a thread pool, and a check-then-write (such as a name
conflict) must not interleave with another.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable

from handlers.storage import StoreDB


class ModelMissing(LookupError):
    """No model of that name in the tenant."""


class NameTaken(ValueError):
    """Another model of the tenant already holds the name."""


class ModelStore:
    """Tenants, model types and models of every tenant."""

    def __init__(self, db: StoreDB) -> None:
        self._db = db
        self._lock = threading.RLock()
        self._models = db.table("models")
        self._tenants = {doc["name"]: dict(doc) for doc in db.table("tenants")}
        self._types = {doc["name"]: dict(doc) for doc in db.table("model_types")}
        self._index: dict[str, dict[str, int]] = {}
        for doc in self._models:
            self._index.setdefault(doc["tenant"], {})[doc["name"]] = doc.doc_id

    @classmethod
    def seeded(cls, db: StoreDB, tenants: Iterable[dict], model_types: Iterable[dict], models: Iterable[dict]) -> ModelStore:
        """A store over ``db``, filled with the seed data if ``db`` is new (a data file that does not exist yet)."""
        if db.storage.is_new:
            db.seed({"tenants": list(tenants), "model_types": list(model_types), "models": list(models)})
        return cls(db)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def tenant(self, name: str) -> dict | None:
        return copy.deepcopy(self._tenants.get(name))

    def model_types(self) -> list[dict]:
        return copy.deepcopy(sorted(self._types.values(), key=lambda doc: doc["name"]))

    def model_type(self, name: str) -> dict | None:
        return copy.deepcopy(self._types.get(name))

    def get(self, tenant: str, name: str) -> dict | None:
        with self._lock:
            doc_id = self._index.get(tenant, {}).get(name)
            if doc_id is None:
                return None
            return copy.deepcopy(dict(self._models.get(doc_id=doc_id)))

    def list(self, tenant: str) -> list[dict]:
        """The tenant's models ordered by name (code-point order, which is UTF-8 byte order)."""
        with self._lock:
            names = self._index.get(tenant, {})
            return [copy.deepcopy(dict(self._models.get(doc_id=names[name]))) for name in sorted(names)]

    def insert(self, document: dict) -> dict:
        with self._lock:
            names = self._index.setdefault(document["tenant"], {})
            if document["name"] in names:
                raise NameTaken(document["name"])
            names[document["name"]] = self._models.insert(copy.deepcopy(document))
            return copy.deepcopy(document)

    def update(self, tenant: str, name: str, changes_for: Callable[[dict], dict]) -> dict:
        """Apply ``changes_for(current)`` to the model atomically; a rename checks conflicts first."""
        with self._lock:
            names = self._index.get(tenant, {})
            doc_id = names.get(name)
            if doc_id is None:
                raise ModelMissing(name)
            current = dict(self._models.get(doc_id=doc_id))
            changes = changes_for(copy.deepcopy(current))
            new_name = changes.get("name", name)
            if new_name != name and new_name in names:
                raise NameTaken(new_name)
            self._models.update(copy.deepcopy(changes), doc_ids=[doc_id])
            if new_name != name:
                del names[name]
                names[new_name] = doc_id
            return copy.deepcopy({**current, **changes})

    def delete(self, tenant: str, name: str) -> None:
        """Remove the model; its connected endpoints live in it and go with it."""
        with self._lock:
            names = self._index.get(tenant, {})
            doc_id = names.get(name)
            if doc_id is None:
                raise ModelMissing(name)
            self._models.remove(doc_ids=[doc_id])
            del names[name]
