"""The data file never disagrees with what a client was told (issue 8 §1, docs/contract.md §13).

A failed write changes neither memory nor disk; a corrupt journal line that is not the last one
refuses the start and touches nothing; ``repair`` keeps what can be kept after a backup; only a
missing data file is new.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from handlers import datafile
from handlers.datafile import DataFileError, WriteFailed
from handlers.storage import open_db
from handlers.store import ModelStore
from tests.handlers.test_store import TENANTS, model


@pytest.fixture
def data_path(tmp_path) -> Path:
    return tmp_path / "state.json"


def journal_of(data_path: Path) -> Path:
    return data_path.with_name(data_path.name + ".journal")


def files_of(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def store_on(data_path: Path, *, repair: bool = False) -> ModelStore:
    return ModelStore.seeded(open_db(data_path, repair=repair), TENANTS, [], [model("seeded")])


def crash(store: ModelStore) -> None:
    """What a killed server leaves behind: its lock released, nothing written beyond the journal."""
    store._db.storage.journal.close()


def full_disk(journal: datafile.Journal, *, half: bool):
    """A journal writer that writes half of the line (or nothing), then fails as a full disk does."""
    def write_all(data: bytes) -> None:
        if half:
            os.write(journal._fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    return write_all


@pytest.mark.parametrize("half", [False, True], ids=["nothing written", "half a line written"])
def test_a_failed_write_changes_neither_memory_nor_disk(data_path, monkeypatch, half):
    store = store_on(data_path)
    store.update("root", "seeded", lambda current: {"summary": "acknowledged"})
    journal = store._db.storage.journal
    before_disk = files_of(data_path.parent)
    monkeypatch.setattr(journal, "_write_all", full_disk(journal, half=half))

    with pytest.raises(WriteFailed, match="No space left on device"):
        store.update("root", "seeded", lambda current: {"name": "renamed", "summary": "never told"})
    with pytest.raises(WriteFailed):
        store.insert(model("never-created"))
    with pytest.raises(WriteFailed):
        store.delete("root", "seeded")

    assert store.get("root", "seeded")["summary"] == "acknowledged"
    assert store.get("root", "renamed") is None and store.get("root", "never-created") is None
    assert files_of(data_path.parent) == before_disk
    monkeypatch.undo()
    store.update("root", "seeded", lambda current: {"summary": "after the disk was freed"})
    crash(store)
    reopened = store_on(data_path)
    assert [doc["summary"] for doc in reopened.list("root")] == ["after the disk was freed"]


def test_a_corrupt_line_in_the_middle_refuses_the_start_and_touches_nothing(data_path):
    store = store_on(data_path)
    for summary in ("one", "two", "three"):
        store.update("root", "seeded", lambda current, summary=summary: {"summary": summary})
    crash(store)
    lines = journal_of(data_path).read_bytes().split(b"\n")
    lines[1] = b'{"table": "models", "chan'
    journal_of(data_path).write_bytes(b"\n".join(lines))
    before = files_of(data_path.parent)

    with pytest.raises(DataFileError) as refused:
        store_on(data_path)

    message = str(refused.value)
    assert str(journal_of(data_path)) in message and "line 2 " in message and "--repair" in message
    assert "\n" not in message
    assert files_of(data_path.parent) == before


@pytest.mark.parametrize("line", [b"[]", b'{"table": 1, "changes": {}}', b'{"table": "models", "changes": {"x": 1}}',
                                  b"\xff\xfe", b""], ids=["list", "table not a name", "bad changes", "not utf-8", "blank"])
def test_a_readable_but_wrong_line_is_corrupt_too(data_path, line):
    crash(store_on(data_path))
    journal_of(data_path).write_bytes(line + b"\n" + b'{"table": "models", "changes": {}}\n')

    with pytest.raises(DataFileError, match="line 1 "):
        store_on(data_path)


def test_only_an_unterminated_last_line_is_a_torn_write(data_path):
    store = store_on(data_path)
    store.update("root", "seeded", lambda current: {"summary": "acknowledged"})
    crash(store)
    with open(journal_of(data_path), "ab") as journal:
        journal.write(b'{"table": "models", "changes": {"1": {"summary": "never ackn')

    assert store_on(data_path).get("root", "seeded")["summary"] == "acknowledged"


def test_repair_backs_up_both_files_then_keeps_every_readable_line(data_path):
    store = store_on(data_path)
    store.update("root", "seeded", lambda current: {"summary": "before"})
    store.insert(model("lost-line"))
    store.insert(model("after-the-corrupt-line"))
    crash(store)
    lines = journal_of(data_path).read_bytes().split(b"\n")
    lines[1] = b"garbage"
    journal_of(data_path).write_bytes(b"\n".join(lines))
    original = files_of(data_path.parent)

    repaired = store_on(data_path, repair=True)

    assert [doc["name"] for doc in repaired.list("root")] == ["after-the-corrupt-line", "seeded"]
    assert repaired.get("root", "seeded")["summary"] == "before"
    backups = {path.name.split(".backup-")[0]: path.read_bytes() for path in data_path.parent.glob("*.backup-*")}
    assert backups == {name: content for name, content in original.items()}
    crash(repaired)
    assert [doc["name"] for doc in store_on(data_path).list("root")] == ["after-the-corrupt-line", "seeded"]


def test_repair_of_a_sound_journal_changes_nothing_and_backs_up_nothing(data_path):
    store = store_on(data_path)
    store.insert(model("kept"))
    crash(store)

    assert [doc["name"] for doc in store_on(data_path, repair=True).list("root")] == ["kept", "seeded"]
    assert not list(data_path.parent.glob("*.backup-*"))


@pytest.mark.parametrize("content", [b"", b"{}", b"  \n", b"[]", b'{"models": [1, 2]}'],
                         ids=["empty", "empty object", "whitespace", "a list", "not tables"])
def test_an_existing_data_file_without_tables_is_not_reseeded(data_path, content):
    data_path.write_bytes(content)

    with pytest.raises(DataFileError, match="(?i)nothing was changed"):
        store_on(data_path)

    assert files_of(data_path.parent) == {"state.json": content}


def test_only_a_missing_data_file_is_new(data_path):
    store = store_on(data_path)
    store.delete("root", "seeded")
    store._db.close()

    assert store_on(data_path).list("root") == []
    assert json.loads(data_path.read_text())["models"] == {}


@pytest.mark.parametrize("content", [b"\x00\x01garbage", b'{"tenants": {"1": {"name": "ro'],
                         ids=["garbage", "truncated"])
def test_an_unreadable_snapshot_is_one_line_naming_it(data_path, content):
    data_path.write_bytes(content)

    with pytest.raises(DataFileError) as refused:
        store_on(data_path)

    assert str(refused.value).startswith(f"{data_path}: ") and "\n" not in str(refused.value)
    assert files_of(data_path.parent) == {"state.json": content}


def test_a_directory_or_a_missing_directory_is_one_line_naming_it(tmp_path):
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(DataFileError, match="is a directory"):
        store_on(tmp_path / "dir.json")
    with pytest.raises(DataFileError, match="does not exist"):
        store_on(tmp_path / "missing" / "state.json")
    assert not (tmp_path / "missing").exists()


def test_a_read_only_filesystem_is_one_line_naming_it(data_path, monkeypatch):
    real_open = os.open

    def read_only(path, flags, *args):
        if flags & (os.O_WRONLY | os.O_RDWR):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(datafile.os, "open", read_only)
    with pytest.raises(DataFileError) as refused:
        store_on(data_path)

    assert str(refused.value).startswith(f"{data_path}: ") and "Read-only file system" in str(refused.value)
