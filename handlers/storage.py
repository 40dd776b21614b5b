"""TinyDB storage for the mock: documents live in memory, writes cost O(1), a failed write changes nothing.

TinyDB's ``Table`` copies the whole table on every write and its ``JSONStorage`` rewrites the
whole file (library-notes: 1.1 ms → 2.8 s per write from 100 to 100,000 documents). Here:

* every document is held as its compact JSON text (:mod:`handlers.doctext`): a fraction of
  the memory of a dict, and what the journal and the snapshot write anyway;
* :class:`InPlaceTable` runs TinyDB's own write operations against a view that collects the
  changed documents without touching the stored ones, and hands those changes (as texts) to
  the storage to commit;
* :class:`MemoryStorage` applies them in memory only (a fresh copy of the fixtures per start);
* :class:`JournalStorage` first appends them to a journal and fsyncs it, and only then applies
  them in memory: a write that fails on disk (:class:`handlers.datafile.WriteFailed`) changes
  neither. The store's writes come in batches (:mod:`handlers.groupcommit`): ``make_durable``
  writes a batch with one fsync, then each is applied. On open the snapshot is loaded and the journal replayed, then folded into a fresh
  snapshot (temporary file, fsync, rename), as it is again whenever it outgrows the snapshot.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from handlers.datafile import (
    Changes,
    DataFileError,
    Journal,
    Tables,
    back_up,
    read_journal,
    read_snapshot,
    write_snapshot,
)
from handlers.doctext import decode, encode

logger = logging.getLogger(__name__)


class MemoryStorage(Storage):
    """All tables in one in-memory dict; ``read`` hands out that dict itself, not a copy."""

    is_new = True  # nothing to load: the store seeds it

    def __init__(self) -> None:
        self.memory: Tables = {}
        self._borrowed = False  # ``memory`` is another storage's until the first write

    def read(self) -> Tables:
        return self.memory

    def write(self, data: Tables) -> None:
        self.memory, self._borrowed = data, False

    def borrow(self, tables: Tables) -> None:
        """Start as ``tables``, shared with their owner (who never changes them) until the first write copies them."""
        self.memory, self._borrowed = tables, True

    def commit(self, table: str, changes: Changes) -> None:
        """Make one write durable, then apply it."""
        self.make_durable([(table, changes)])
        self.apply(table, changes)
        self.applied(1)

    def make_durable(self, entries: list[tuple[str, Changes]]) -> None:
        """Nothing to do in memory; with a data file, raises WriteFailed when it cannot be done."""

    def applied(self, count: int) -> None:
        """``count`` durable writes were applied."""

    def apply(self, table: str, changes: Changes) -> None:
        """Apply the changed documents of one write (``None``: removed)."""
        if self._borrowed:
            self.write({name: dict(documents) for name, documents in self.memory.items()})
        documents = self.memory.setdefault(table, {})
        for doc_id, document in changes.items():
            if document is None:
                documents.pop(doc_id, None)
            else:
                documents[doc_id] = document

    def seed(self, tables: Tables) -> None:
        """Start a new database with ``tables``."""
        self.write(tables)

    def replace(self, tables: Tables) -> None:
        """Swap in a whole new state at once (a reset or an import of the control plane)."""
        self.seed(tables)


class JournalStorage(MemoryStorage):
    """In-memory tables made durable by an append-only journal beside a snapshot file."""

    def __init__(self, path: str | os.PathLike, compact_after: int = 1000, repair: bool = False) -> None:
        super().__init__()
        self.path = Path(path)
        journal_path = self.path.with_name(self.path.name + ".journal")
        self._compact_after = compact_after
        self._journal_lines = 0
        self._compact_at = compact_after
        snapshot = read_snapshot(self.path)
        contents = read_journal(journal_path, repair=repair)
        self.is_new = snapshot is None and contents.empty
        journal_existed = journal_path.exists()
        self.journal = Journal(journal_path, self.path)
        self.memory = snapshot or {}
        for table, changes in contents.entries:
            self.apply(table, changes)
        try:
            if contents.skipped_lines:
                copies = ", ".join(map(str, back_up(self.path, journal_path)))
                logger.warning("%s: repaired: dropped the unreadable lines %s, kept %d; the files as they were: %s",
                               journal_path, contents.skipped_lines, len(contents.entries), copies)
            if not contents.empty:
                self.compact()  # start from a clean journal: new lines never follow a torn one
        except OSError as exc:
            self.journal.close()
            if not journal_existed:
                journal_path.unlink(missing_ok=True)
            raise DataFileError(f"{self.path}: cannot be rewritten ({exc.strerror or exc})") from None

    def make_durable(self, entries: list[tuple[str, Changes]]) -> None:
        self.journal.append(entries)  # one fsync; raises WriteFailed: then none of them is applied

    def applied(self, count: int) -> None:
        self._journal_lines += count
        if self._journal_lines >= max(self._compact_at, self._document_count()):
            self._compact_or_defer()

    def seed(self, tables: Tables) -> None:
        try:
            write_snapshot(self.path, tables)
        except OSError as exc:
            raise DataFileError(f"{self.path}: cannot be written ({exc.strerror or exc})") from None
        super().seed(tables)

    def replace(self, tables: Tables) -> None:
        """The journal is folded first, so a crash leaves either the old state or the new one."""
        self.compact()
        self.seed(tables)

    def _document_count(self) -> int:
        return sum(len(documents) for documents in self.memory.values())

    def _compact_or_defer(self) -> None:
        """The write is already durable in the journal; a failed fold is tried again later."""
        try:
            self.compact()
        except OSError as exc:
            self._compact_at = self._journal_lines + self._compact_after
            logger.warning("%s: folding the journal into the snapshot failed (%s); will retry", self.path, exc)

    def compact(self) -> None:
        """Fold the journal into a new snapshot; each step leaves a loadable state on disk."""
        write_snapshot(self.path, self.memory)
        self.journal.clear()
        self._journal_lines = 0
        self._compact_at = self._compact_after

    def close(self) -> None:
        if not self.journal.closed:
            if self._journal_lines:
                self._compact_or_defer()
            self.journal.close()


class _DecodedDocuments(Mapping):
    """A stored table as TinyDB reads it (id → document), each document parsed when it is read."""

    def __init__(self, stored: dict[str, str]) -> None:
        self.stored = stored

    def __getitem__(self, doc_id: str) -> dict:
        return decode(self.stored[doc_id])

    def __iter__(self) -> Iterator[str]:
        return iter(self.stored)

    def __len__(self) -> int:
        return len(self.stored)


class _PendingDocuments(MutableMapping):
    """A stored table seen with integer ids; writes go to a side dict, the stored table stays as it is."""

    def __init__(self, stored: dict[str, str]) -> None:
        self.stored = stored
        self.changes: dict[str, dict | None] = {}

    def __getitem__(self, doc_id: int) -> dict:
        key = str(doc_id)
        if key not in self.changes:
            # TinyDB updates a document in place after reading it: a parsed copy is the one changed
            self.changes[key] = decode(self.stored[key])
        document = self.changes[key]
        if document is None:
            raise KeyError(doc_id)
        return document

    def __setitem__(self, doc_id: int, document: dict) -> None:
        self.changes[str(doc_id)] = document

    def __delitem__(self, doc_id: int) -> None:
        if doc_id not in self:
            raise KeyError(doc_id)
        self.changes[str(doc_id)] = None

    def __contains__(self, doc_id: object) -> bool:
        key = str(doc_id)
        return self.changes[key] is not None if key in self.changes else key in self.stored

    def __iter__(self) -> Iterator[int]:
        keys = dict.fromkeys([*self.stored, *self.changes])
        return (int(key) for key in keys if key in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class InPlaceTable(Table):
    """A TinyDB table whose writes change only the documents they name, and only once committed."""

    def stored(self, doc_id: int) -> dict | None:
        """The stored document, parsed afresh: the caller may keep or change it."""
        text = self._storage.read().get(self.name, {}).get(str(doc_id))
        return None if text is None else decode(text)

    def stored_documents(self) -> Iterator[tuple[int, dict]]:
        """Every stored document with its id."""
        return ((int(doc_id), decode(text)) for doc_id, text in self._storage.read().get(self.name, {}).items())

    def next_id(self) -> int:
        """The id of the next document (TinyDB's count; an id once handed out is never reused)."""
        return self._get_next_id()

    def _read_table(self) -> Mapping[str, dict]:
        return _DecodedDocuments(self._storage.read().get(self.name, {}))

    def _update_table(self, updater: Any) -> None:
        view = _PendingDocuments(self._storage.read().get(self.name, {}))
        updater(view)
        changes = {doc_id: None if document is None else encode(document) for doc_id, document in view.changes.items()}
        self._storage.commit(self.name, changes)
        self.clear_cache()


def numbered(documents: Iterable[dict]) -> dict[str, dict]:
    """A table's documents keyed by the ids a new table gives them: 1, 2, ..."""
    return {str(number): document for number, document in enumerate(documents, start=1)}


class StoreDB(TinyDB):
    """TinyDB with in-place tables."""

    table_class = InPlaceTable
    default_storage_class = MemoryStorage

    def seed(self, tables: Tables) -> None:
        """Fill a new database at once, durably when it has a data file."""
        self.storage.seed(tables)

    def replace(self, tables: Tables) -> None:
        """Swap in a whole new content at once (a reset or an import of the control plane)."""
        self.storage.replace(tables)
        self._tables.clear()  # TinyDB's table objects cache the next id: they start afresh


def fork_db(origin: StoreDB) -> StoreDB:
    """An in-memory database starting as ``origin``'s content, which must never be written.

    It shares ``origin``'s id → text maps until its first write copies them (about 0.3 ms per
    10,000 documents; the texts themselves are immutable and stay shared).
    """
    db = StoreDB(storage=MemoryStorage)
    db.storage.borrow(origin.storage.read())
    return db


def open_db(data_path: str | os.PathLike | None, *, repair: bool = False) -> StoreDB:
    """An in-memory database, or one kept in ``data_path`` across restarts."""
    if data_path is None:
        return StoreDB(storage=MemoryStorage)
    return StoreDB(data_path, storage=JournalStorage, repair=repair)
