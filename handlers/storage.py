"""TinyDB storage for the mock: documents live in memory, writes cost O(1).

TinyDB's ``Table`` copies the whole table on every write and its ``JSONStorage`` rewrites the
whole file (library-notes: 1.1 ms → 2.8 s per write from 100 to 100,000 documents). Here:

* :class:`InPlaceTable` applies TinyDB's own write operations to the stored dict in place and
  tells the storage which documents changed;
* :class:`MemoryStorage` keeps the data in memory only (a fresh copy of the fixtures per start);
* :class:`JournalStorage` adds durability: each change is appended to a journal and fsynced
  before the request answers (writers that arrive during one fsync share the next: group
  commit); on open the snapshot is loaded and the journal replayed; the
  journal is folded into a new snapshot (written to a temporary file, fsynced, renamed) once it
  outgrows the snapshot. A server killed mid-write loses at most the torn last journal line,
  the change its request never acknowledged. Opening folds any journal into a fresh
  snapshot, so new lines never follow a torn one.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Iterable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

Tables = dict[str, dict[str, dict]]


class DataFileInUse(RuntimeError):
    """Another process holds the data file: two writers would corrupt it."""


class MemoryStorage(Storage):
    """All tables in one in-memory dict; ``read`` hands out that dict itself, not a copy."""

    def __init__(self) -> None:
        self.memory: Tables = {}

    def read(self) -> Tables:
        return self.memory

    def write(self, data: Tables) -> None:
        self.memory = data

    def record(self, table: str, documents: dict[str, dict], touched: set[str]) -> None:
        """Called after each write with the table and the ids of the documents it touched."""

    def persist(self) -> None:
        """Makes everything in memory durable at once (in memory: nothing to do)."""

    def sync(self) -> None:
        """Returns once every write recorded so far is durable (in memory: at once)."""


class JournalStorage(MemoryStorage):
    """In-memory tables made durable by an append-only journal beside a snapshot file."""

    def __init__(self, path: str | os.PathLike, compact_after: int = 1000) -> None:
        super().__init__()
        self.path = Path(path)
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self._compact_after = compact_after
        self._journal_lines = 0
        self._written = 0  # journal lines handed to the OS since opening
        self._synced = 0  # how many of those are known to be on disk
        self._sync_lock = threading.Lock()
        if self.path.exists():
            self.memory = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        self._replay()
        self._journal = open(self.journal_path, "a", encoding="utf-8")
        try:
            fcntl.flock(self._journal, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._journal.close()
            raise DataFileInUse(f"{self.path} is in use by another server; give each server its own data file") from None
        if self._journal_lines or self.journal_path.stat().st_size:
            # start from a clean journal: new lines must never follow a torn one
            self.compact()

    def _replay(self) -> None:
        if not self.journal_path.exists():
            return
        for line in self.journal_path.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                break  # a torn last line: its write was never acknowledged
            self._apply(entry["table"], entry["changes"])
            self._journal_lines += 1

    def _apply(self, table: str, changes: dict[str, dict | None]) -> None:
        documents = self.memory.setdefault(table, {})
        for doc_id, document in changes.items():
            if document is None:
                documents.pop(doc_id, None)
            else:
                documents[doc_id] = document

    def record(self, table: str, documents: dict[str, dict], touched: set[str]) -> None:
        changes = {doc_id: documents.get(doc_id) for doc_id in touched}  # None: removed
        line = json.dumps({"table": table, "changes": changes}, ensure_ascii=False)
        self._journal.write(line + "\n")
        self._journal.flush()
        self._written += 1  # callers hold the store's lock: one writer at a time
        self._journal_lines += 1
        if self._journal_lines >= max(self._compact_after, self._document_count()):
            self.compact()

    def sync(self) -> None:
        """Group commit: one fsync covers every line written before it started, so writers that
        arrive while one fsync runs share the next one instead of queueing one each."""
        wanted = self._written
        if self._synced >= wanted:
            return
        with self._sync_lock:
            if self._synced >= wanted:
                return  # another writer's fsync covered this line
            reached = self._written
            os.fsync(self._journal.fileno())
            self._synced = max(self._synced, reached)

    def _document_count(self) -> int:
        return sum(len(documents) for documents in self.memory.values())

    def compact(self) -> None:
        """Fold the journal into a new snapshot; each step leaves a loadable state on disk."""
        temporary = self.path.with_name(self.path.name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(self.memory, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)
        _fsync_directory(self.path.parent)
        self._journal.truncate(0)
        self._journal.seek(0)
        os.fsync(self._journal.fileno())
        self._journal_lines = 0
        self._synced = max(self._synced, self._written)  # the snapshot holds every line

    def persist(self) -> None:
        self.compact()

    def close(self) -> None:
        if not self._journal.closed:
            self.compact()
            self._journal.close()


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class _TrackedDocuments(MutableMapping):
    """A stored table seen with integer ids, noting every document a write touches."""

    def __init__(self, raw: dict[str, dict]) -> None:
        self.raw = raw
        self.touched: set[str] = set()

    def __getitem__(self, doc_id: int) -> dict:
        document = self.raw[str(doc_id)]
        self.touched.add(str(doc_id))  # TinyDB updates documents in place after reading them
        return document

    def __setitem__(self, doc_id: int, document: dict) -> None:
        self.raw[str(doc_id)] = document
        self.touched.add(str(doc_id))

    def __delitem__(self, doc_id: int) -> None:
        del self.raw[str(doc_id)]
        self.touched.add(str(doc_id))

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self.raw

    def __iter__(self) -> Iterator[int]:
        return (int(doc_id) for doc_id in list(self.raw))

    def __len__(self) -> int:
        return len(self.raw)


class InPlaceTable(Table):
    """A TinyDB table whose writes change only the documents they name."""

    def stored(self, doc_id: int) -> dict | None:
        """The stored document itself, not a copy: a read that costs no allocation."""
        return self._storage.read().get(self.name, {}).get(str(doc_id))

    def stored_documents(self) -> Iterator[tuple[int, dict]]:
        """Every stored document with its id, without TinyDB's per-document copy."""
        return ((int(doc_id), document) for doc_id, document in self._storage.read().get(self.name, {}).items())

    def replace(self, doc_id: int, document: dict) -> None:
        """Store ``document`` as a new version of ``doc_id``; the old version is left as it was."""
        self._update_table(lambda documents: documents.__setitem__(doc_id, document))

    def _update_table(self, updater: Any) -> None:
        tables = self._storage.read()
        view = _TrackedDocuments(tables.setdefault(self.name, {}))
        updater(view)
        self._storage.write(tables)
        self._storage.record(self.name, view.raw, view.touched)
        self.clear_cache()


class StoreDB(TinyDB):
    """TinyDB with in-place tables."""

    table_class = InPlaceTable
    default_storage_class = MemoryStorage

    def fill(self, tables: dict[str, Iterable[dict]]) -> None:
        """Fills an empty database in one write, stored as TinyDB stores tables (ids from 1), then
        made durable: seeding 100,000 models without TinyDB's work per inserted document."""
        self.storage.write({name: {str(doc_id): dict(document) for doc_id, document in enumerate(documents, 1)}
                            for name, documents in tables.items()})
        self.storage.persist()


def open_db(data_path: str | os.PathLike | None) -> StoreDB:
    """An in-memory database, or one kept in ``data_path`` across restarts."""
    if data_path is None:
        return StoreDB(storage=MemoryStorage)
    return StoreDB(data_path, storage=JournalStorage)
