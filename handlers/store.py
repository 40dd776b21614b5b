"""The mock's state in TinyDB behind a small interface: get, list, insert, update, delete.

Lookups by (tenant, name) go through an in-memory index of document ids, so reading or
writing one model costs the same with 100 or 100,000 models. One lock serialises every
access: Connexion runs handlers on a thread pool, and a check-then-write (such as a name
conflict) must not interleave with another.

Each stored model is held as its JSON text (see :mod:`handlers.storage`); a read parses the one
model it needs into a fresh dict. A write stores a new version, so what is derived from a
version (its JSON in the list) can be kept until the next write.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import count

from handlers.datafile import Tables
from handlers.doctext import Text, decode, encode, encoded
from handlers.groupcommit import GroupCommit, Write
from handlers.storage import StoreDB, fork_db, numbered

Index = dict[str, dict[str, int]]


@dataclass(frozen=True)
class StoredModels:
    """Checked models as the store takes them, in order: each one's tenant, name and JSON text.

    Held as three lists, not one object per model: a start with 100,000 models fills them from a
    cache (:mod:`handlers.fixture_cache`) without building anything per model."""

    tenants: list[str]
    names: list[str]
    texts: list[Text]

    @classmethod
    def of(cls, documents: Iterable[dict]) -> StoredModels:
        """The models of ``documents``, taken one at a time (each may be freed once encoded)."""
        stored = cls([], [], [])
        for document in documents:
            stored.tenants.append(document["tenant"])
            stored.names.append(document["name"])
            stored.texts.append(encode(document))
        return stored

    def __len__(self) -> int:
        return len(self.texts)


class ModelMissing(LookupError):
    """No model of that name in the tenant."""


class NameTaken(ValueError):
    """Another model of the tenant already holds the name."""


class ModelStore:
    """Tenants, model types and models of every tenant."""

    def __init__(self, db: StoreDB, index: Index | None = None) -> None:
        self._db = db
        self._lock = threading.RLock()
        self._commits = GroupCommit(self._lock, db.storage.make_durable, db.storage.applied)
        self._load(index)

    def _load(self, index: Index | None = None) -> None:
        """Caches of the database's content; ``index`` when the caller already has it (else every model is parsed)."""
        self._models = self._db.table("models")
        self._tenants = {doc["name"]: dict(doc) for doc in self._db.table("tenants")}
        self._types = {doc["name"]: dict(doc) for doc in self._db.table("model_types")}
        self._sorted_types = sorted(self._types.values(), key=lambda doc: doc["name"])
        self._pieces: dict[int, bytes] = {}  # doc id → its JSON in the list, for the stored version
        self._index = _index_of(self._models.stored_documents()) if index is None else index
        self._index_borrowed = False  # a fork shares the index of the store it was forked from until its first write

    @classmethod
    def seeded(cls, db: StoreDB, tenants: Iterable[dict], model_types: Iterable[dict],
               models: Iterable[dict] | StoredModels) -> ModelStore:
        """A store over ``db``, filled with the seed data if ``db`` is new (a data file that does not exist yet)."""
        if not db.storage.is_new:
            return cls(db)
        tables, index = _tables_and_index(tenants, model_types, models)
        db.seed(tables)
        return cls(db, index)

    def fork(self) -> ModelStore:
        """A private in-memory copy of the content of a store that is never written (the fixtures').

        It shares this store's maps until its first write copies them, and the stored texts for good."""
        with self._lock:
            fork = ModelStore(fork_db(self._db), self._index)
        fork._index_borrowed = True
        return fork

    def export(self) -> dict[str, list[dict]]:
        """The whole content, in the shape of the fixture files."""
        with self._lock:
            return {
                "tenants": copy.deepcopy(list(self._tenants.values())),
                "model_types": copy.deepcopy(list(self._types.values())),
                "models": [doc for _, doc in self._models.stored_documents()],  # parsed afresh
            }

    def replace(self, tenants: Iterable[dict], model_types: Iterable[dict], models: Iterable[dict]) -> None:
        """Swap in a whole new content at once (reset, import); with a data file one atomic write."""
        tables, index = _tables_and_index(tenants, model_types, models)
        with self._lock:
            self._commits.quiesce()
            self._db.replace(tables)
            self._load(index)

    def close(self) -> None:
        with self._lock:
            self._commits.quiesce()
            self._db.close()

    # Tenants and model types change only by a reset or an import (a new dict); callers only read them.

    def tenant(self, name: str) -> dict | None:
        return self._tenants.get(name)

    def model_types(self) -> list[dict]:
        return self._sorted_types

    def model_type(self, name: str) -> dict | None:
        return self._types.get(name)

    def get(self, tenant: str, name: str) -> dict | None:
        """The stored model (a fresh dict), or None."""
        with self._lock:
            doc_id = self._index.get(tenant, {}).get(name)
            found = None if doc_id is None else self._models.stored(doc_id)
        return found

    def list(self, tenant: str) -> list[dict]:
        """The tenant's models ordered by name (code-point order, which is UTF-8 byte order)."""
        with self._lock:
            names = self._index.get(tenant, {})
            found = [self._models.stored(names[name]) for name in sorted(names)]
        return found

    def list_json(self, tenant: str, piece_for: Callable[[dict], bytes]) -> bytes:
        """The tenant's models as a JSON array (``json.dumps`` of the list, byte for byte, for ASCII
        pieces); each model's piece is made by ``piece_for`` once per stored version. One join:
        the answer of 10,000 models is allocated once, never copied."""
        with self._lock:
            names = self._index.get(tenant, {})
            parts = []
            for name in sorted(names):
                doc_id = names[name]
                piece = self._pieces.get(doc_id)
                if piece is None:
                    piece = self._pieces[doc_id] = piece_for(self._models.stored(doc_id))
                parts += (piece, b", ")
        del parts[-1:]  # no separator after the last model
        return b"".join([b"[", *parts, b"]"])

    # Writes are prepared under the lock against the state the pending writes will leave, and made
    # durable together with the other writers' (one fsync; see handlers.groupcommit). The index
    # and the stored texts change only once that succeeded.

    def insert(self, document: dict) -> dict:
        """Stores ``document`` (the caller hands it over and keeps no reference to change)."""
        tenant, name = document["tenant"], document["name"]
        with self._lock:
            if self._id_for_write(tenant, name) is not None:
                raise NameTaken(name)
            doc_id = self._models.next_id()
            write = self._submit(doc_id, encode(document), {(tenant, name): doc_id})
        self._commits.wait(write)
        return document

    def update(self, tenant: str, name: str, changes_for: Callable[[dict], dict]) -> dict:
        """Apply ``changes_for(current)`` to the model atomically; a rename checks conflicts first."""
        with self._lock:
            doc_id = self._id_for_write(tenant, name)
            if doc_id is None:
                raise ModelMissing(name)
            current = self._model_for_write(doc_id)
            changes = changes_for(current)
            new_name = changes.get("name", name)
            if new_name != name and self._id_for_write(tenant, new_name) is not None:
                raise NameTaken(new_name)
            updated = {**current, **changes}
            renamed = {} if new_name == name else {(tenant, name): None, (tenant, new_name): doc_id}
            write = self._submit(doc_id, encode(updated), renamed)
        self._commits.wait(write)
        return updated

    def delete(self, tenant: str, name: str) -> None:
        """Remove the model; its connected endpoints live in it and go with it."""
        with self._lock:
            doc_id = self._id_for_write(tenant, name)
            if doc_id is None:
                raise ModelMissing(name)
            write = self._submit(doc_id, None, {(tenant, name): None})
        self._commits.wait(write)

    def _id_for_write(self, tenant: str, name: str) -> int | None:
        return self._commits.pending(("name", tenant, name), self._index.get(tenant, {}).get(name))

    def _model_for_write(self, doc_id: int) -> dict:
        text = self._commits.pending(("model", doc_id), None)
        return self._models.stored(doc_id) if text is None else decode(text)

    def _submit(self, doc_id: int, text: Text | None, names: dict[tuple[str, str], int | None]) -> Write:
        """Queue the new text of a model (None: removed) and the names it takes (an id) or frees (None)."""
        changes = {str(doc_id): text}

        def apply() -> None:
            self._db.storage.apply("models", changes)
            self._pieces.pop(doc_id, None)
            if self._index_borrowed:
                self._index = {tenant: dict(known) for tenant, known in self._index.items()}
                self._index_borrowed = False
            for (tenant, name), named in names.items():
                if named is None:
                    del self._index[tenant][name]
                else:
                    self._index.setdefault(tenant, {})[name] = named

        effects = {("model", doc_id): text, **{("name", *key): named for key, named in names.items()}}
        return self._commits.submit(("models", changes), effects, apply)


def _tables_and_index(tenants: Iterable[dict], model_types: Iterable[dict],
                      models: Iterable[dict] | StoredModels) -> tuple[Tables, Index]:
    """The tables as texts, numbered 1, 2, ... as a new table numbers them, and the models' index."""
    stored = models if isinstance(models, StoredModels) else StoredModels.of(models)
    index: Index = {tenant: {} for tenant in set(stored.tenants)}
    for doc_id, tenant, name in zip(count(1), stored.tenants, stored.names):
        index[tenant][name] = doc_id
    texts = dict(zip(map(str, range(1, len(stored) + 1)), stored.texts, strict=True))
    return {"tenants": encoded(numbered(tenants)), "model_types": encoded(numbered(model_types)), "models": texts}, index


def _index_of(models: Iterable[tuple[int, dict]]) -> Index:
    """tenant → name → id of the models given with their ids."""
    index: Index = {}
    for doc_id, doc in models:
        index.setdefault(doc["tenant"], {})[doc["name"]] = doc_id
    return index
