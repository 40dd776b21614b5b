"""With ``DATA=``, concurrent writers share fsyncs (group commit), yet no write is answered
before its journal line is on disk.

A power cut keeps only what ``fsync`` made durable. Here ``fsync`` is wrapped to copy the journal
as it is at that moment (the "disk"); after concurrent writers stop, the store is reopened from
the snapshot and that copy alone: every write whose call returned must be in it.
"""

from __future__ import annotations

import os
import threading

from handlers import storage
from handlers.storage import JournalStorage, StoreDB
from handlers.store import ModelStore

WRITERS = 8
WRITES_EACH = 40
TENANTS = [{"name": "root", "active": True}]


def model(name: str) -> dict:
    return {"tenant": "root", "name": name, "id": name, "dtype": "openai", "configuration": {},
            "summary": "0", "tags": "", "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z", "connected_endpoints": []}


def test_every_answered_write_was_fsynced_before_its_answer(tmp_path, monkeypatch):
    path = tmp_path / "state.json"
    journal = path.with_name("state.json.journal")
    db = StoreDB(path, storage=JournalStorage, compact_after=10**9)  # no compaction in this test
    store = ModelStore.seeded(db, TENANTS, [], [model(f"m{n}") for n in range(WRITERS)])
    on_disk = {"journal": journal.read_bytes()}
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        is_journal = os.fstat(descriptor).st_ino == os.stat(journal).st_ino
        content = journal.read_bytes() if is_journal else None  # what this fsync will make durable
        real_fsync(descriptor)
        if is_journal:
            on_disk["journal"] = content

    monkeypatch.setattr(storage.os, "fsync", fsync)
    answered: dict[str, int] = {}

    def write(worker: int) -> None:
        for n in range(1, WRITES_EACH + 1):
            store.update("root", f"m{worker}", lambda current, n=n: {"summary": str(n)})
            answered[f"m{worker}"] = n

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    monkeypatch.undo()

    # the power cut: the snapshot as written at open, and the journal as the last fsync left it
    db.storage._journal.close()
    journal.write_bytes(on_disk["journal"])
    reopened = ModelStore(StoreDB(path, storage=JournalStorage))
    for name, last in answered.items():
        assert int(reopened.get("root", name)["summary"]) >= last, f"an answered write of {name} was not on disk"
