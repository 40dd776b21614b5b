"""TinyDB storage: in-place writes, the journal, its replay and its compaction."""

from __future__ import annotations

import json

import pytest

from handlers.datafile import DataFileInUse
from handlers.storage import JournalStorage, StoreDB, open_db


def models_of(db: StoreDB) -> dict[int, dict]:
    return {doc.doc_id: dict(doc) for doc in db.table("models")}


def crash(db: StoreDB) -> None:
    """What a killed server leaves behind: its lock released, nothing written beyond the journal."""
    db.storage.journal.close()


@pytest.fixture
def data_path(tmp_path):
    return tmp_path / "state.json"


def test_memory_db_supports_tinydb_writes():
    db = open_db(None)
    table = db.table("models")
    first = table.insert({"name": "a", "n": 1})
    second = table.insert({"name": "b", "n": 2})
    table.update({"n": 10}, doc_ids=[first])
    table.remove(doc_ids=[second])
    assert models_of(db) == {first: {"name": "a", "n": 10}}


def test_every_write_reaches_the_journal_before_returning(data_path):
    db = open_db(data_path)
    doc_id = db.table("models").insert({"name": "a"})
    db.table("models").update({"summary": "s"}, doc_ids=[doc_id])
    lines = [json.loads(line) for line in data_path.with_name("state.json.journal").read_text().splitlines()]
    assert lines == [
        {"table": "models", "changes": {str(doc_id): {"name": "a"}}},
        {"table": "models", "changes": {str(doc_id): {"name": "a", "summary": "s"}}},
    ]


def test_reopening_replays_the_journal(data_path):
    db = open_db(data_path)
    table = db.table("models")
    keep = table.insert({"name": "keep"})
    gone = table.insert({"name": "gone"})
    table.update({"summary": "changed"}, doc_ids=[keep])
    table.remove(doc_ids=[gone])
    crash(db)
    reopened = open_db(data_path)
    assert models_of(reopened) == {keep: {"name": "keep", "summary": "changed"}}


def crash_mid_write(data_path, acknowledged: str) -> int:
    """A server that acknowledged one insert, then died while writing the next journal line."""
    db = open_db(data_path)
    doc_id = db.table("models").insert({"name": acknowledged})
    with open(data_path.with_name("state.json.journal"), "a", encoding="utf-8") as journal:
        journal.write('{"table": "models", "changes": {"99": {"name": "half-writ')
    crash(db)
    return doc_id


def test_a_torn_last_journal_line_is_ignored(data_path):
    doc_id = crash_mid_write(data_path, "acknowledged")
    assert models_of(open_db(data_path)) == {doc_id: {"name": "acknowledged"}}


def test_writes_after_a_torn_line_survive_the_next_restart(data_path):
    """A restart starts a clean journal, so new lines never follow the torn one."""
    before = crash_mid_write(data_path, "before the crash")
    restarted = open_db(data_path)
    after = restarted.table("models").insert({"name": "after the restart"})
    crash(restarted)
    assert models_of(open_db(data_path)) == {before: {"name": "before the crash"}, after: {"name": "after the restart"}}


def test_compaction_folds_the_journal_into_the_snapshot(data_path):
    db = StoreDB(data_path, storage=JournalStorage, compact_after=3)
    table = db.table("models")
    ids = [table.insert({"name": f"m{i}"}) for i in range(3)]
    journal = data_path.with_name("state.json.journal")
    assert journal.read_text() == ""
    assert json.loads(data_path.read_text())["models"] == {str(i): {"name": f"m{n}"} for n, i in enumerate(ids)}
    table.update({"summary": "after"}, doc_ids=[ids[0]])
    crash(db)
    assert models_of(open_db(data_path))[ids[0]] == {"name": "m0", "summary": "after"}


def test_a_journal_left_after_a_snapshot_replays_to_the_same_state(data_path):
    """A crash between writing the snapshot and truncating the journal is harmless."""
    db = open_db(data_path)
    table = db.table("models")
    doc_id = table.insert({"name": "a"})
    table.update({"summary": "s"}, doc_ids=[doc_id])
    journal = data_path.with_name("state.json.journal").read_text()
    db.storage.compact()
    crash(db)
    data_path.with_name("state.json.journal").write_text(journal)
    assert models_of(open_db(data_path)) == {doc_id: {"name": "a", "summary": "s"}}


def test_close_leaves_a_complete_snapshot(data_path):
    db = open_db(data_path)
    doc_id = db.table("models").insert({"name": "a"})
    db.close()
    assert json.loads(data_path.read_text())["models"] == {str(doc_id): {"name": "a"}}
    assert data_path.with_name("state.json.journal").read_text() == ""


def test_a_second_server_cannot_open_a_data_file_in_use(data_path):
    first = open_db(data_path)
    with pytest.raises(DataFileInUse):
        open_db(data_path)
    first.close()
    open_db(data_path).close()  # free again once the first one closed
