"""Group commit (issue 10): concurrent writers share one fsync, and a batch is all or nothing.

A journal write is held in flight (an event, not a delay) while other writers queue behind it, so
what each test sees does not depend on the machine's speed.
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable

import pytest

from handlers.datafile import WriteFailed
from handlers.storage import open_db
from handlers.store import ModelMissing, ModelStore, NameTaken
from tests.handlers.test_datafile import crash, files_of, journal_of
from tests.handlers.test_store import TENANTS, model


class HeldJournal:
    """Holds each journal write until released; keeps them; fails (half written) the one it is told to fail."""

    def __init__(self, store: ModelStore) -> None:
        self.journal = store._db.storage.journal
        self.write_all = self.journal._write_all
        self.entered = threading.Semaphore(0)
        self.release = threading.Semaphore(0)
        self.writes: list[bytes] = []
        self.fail_next = False

    def __call__(self, data: bytes) -> None:
        self.entered.release()
        self.release.acquire()
        self.writes.append(data)
        if self.fail_next:
            self.fail_next = False
            os.write(self.journal._fd, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.write_all(data)


class Writer(threading.Thread):
    """One store call on its own thread; keeps its result or its exception."""

    def __init__(self, call: Callable[[], object]) -> None:
        super().__init__()
        self.call = call
        self.result: object = None
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.result = self.call()
        except BaseException as exc:  # noqa: BLE001 - the test looks at it
            self.error = exc


@pytest.fixture
def store(tmp_path, monkeypatch):
    data_path = tmp_path / "state.json"
    store = ModelStore.seeded(open_db(data_path), TENANTS, [], [model("a"), model("b")])
    held = HeldJournal(store)
    monkeypatch.setattr(held.journal, "_write_all", held)
    store.held = held
    store.data_path = data_path
    yield store


def queued(store: ModelStore, count: int) -> None:
    """Waits until ``count`` writes are queued behind the batch in flight."""
    with store._commits._changed:
        while len(store._commits._queue) < count:
            store._commits._changed.wait(0.01)


def in_flight(store: ModelStore, call: Callable[[], object]) -> Writer:
    writer = Writer(call)
    store.held.entered.acquire()  # its journal write has begun and is held
    return writer


def summary(text: str) -> Callable[[dict], dict]:
    return lambda current: {"summary": text}


def test_writers_queued_behind_a_batch_share_the_next_fsync(store):
    first = in_flight(store, lambda: store.update("root", "a", summary("first")))
    writers = [Writer(lambda n=n: store.insert(model(f"new-{n}"))) for n in range(5)]
    queued(store, 5)
    store.held.release.release()
    store.held.entered.acquire()  # the second batch: all five together
    store.held.release.release()
    for writer in [first, *writers]:
        writer.join()
        assert writer.error is None
    assert len(store.held.writes) == 2 and store.held.writes[1].count(b"\n") == 5
    crash(store)
    reopened = ModelStore.seeded(open_db(store.data_path), [], [], [])
    assert sorted(doc["name"] for doc in reopened.list("root")) == ["a", "b", *(f"new-{n}" for n in range(5))]
    assert reopened.get("root", "a")["summary"] == "first"


def test_a_write_in_flight_is_not_seen_by_readers_until_it_is_durable(store):
    writer = in_flight(store, lambda: store.update("root", "a", summary("pending")))
    assert store.get("root", "a")["summary"] == "" and [doc["summary"] for doc in store.list("root")] == ["", ""]
    store.held.release.release()
    writer.join()
    assert store.get("root", "a")["summary"] == "pending"


def test_checks_see_the_pending_writes(store):
    """A name taken, freed or renamed by a write not yet durable counts for the writes behind it."""
    first = in_flight(store, lambda: store.update("root", "a", lambda current: {"name": "renamed"}))
    again = Writer(lambda: store.insert(model("renamed")))
    again.join()
    gone = Writer(lambda: store.update("root", "a", summary("x")))
    gone.join()
    freed = Writer(lambda: store.insert(model("a")))
    queued(store, 1)
    patched = Writer(lambda: store.update("root", "renamed", summary("after the rename")))
    queued(store, 2)
    store.held.release.release()
    store.held.entered.acquire()
    store.held.release.release()
    for writer in (first, freed, patched):
        writer.join()
        assert writer.error is None
    assert isinstance(again.error, NameTaken) and isinstance(gone.error, ModelMissing)
    assert store.get("root", "a") == model("a")  # the new one
    assert store.get("root", "renamed")["summary"] == "after the rename"


def test_a_failed_batch_fails_every_write_in_it_and_behind_it_and_applies_none(store):
    before_disk = files_of(store.data_path.parent)
    store.held.fail_next = True
    renamed = in_flight(store, lambda: store.update("root", "a", lambda current: {"name": "renamed"}))
    # behind it: writes whose checks relied on the rename, and one that did not
    takes_freed_name = Writer(lambda: store.insert(model("a")))
    patches_renamed = Writer(lambda: store.update("root", "renamed", summary("never told")))
    independent = Writer(lambda: store.delete("root", "b"))
    queued(store, 3)
    store.held.release.release()
    for writer in (renamed, takes_freed_name, patches_renamed, independent):
        writer.join()
        assert isinstance(writer.error, WriteFailed), writer.error
    assert len(store.held.writes) == 1  # the queued ones never reached the disk
    assert store.get("root", "a") == model("a") and store.get("root", "b") == model("b")
    assert store.get("root", "renamed") is None
    assert files_of(store.data_path.parent) == before_disk

    after = Writer(lambda: store.update("root", "a", lambda current: {"name": "renamed"}))
    store.held.entered.acquire()
    store.held.release.release()
    after.join()
    assert after.error is None
    crash(store)
    reopened = ModelStore.seeded(open_db(store.data_path), [], [], [])
    assert sorted(doc["name"] for doc in reopened.list("root")) == ["b", "renamed"]


def test_a_failed_batch_of_several_writes_keeps_none_of_them_on_disk(store):
    first = in_flight(store, lambda: store.update("root", "a", summary("first")))
    batch = [Writer(lambda n=n: store.insert(model(f"new-{n}"))) for n in range(3)]
    queued(store, 3)
    store.held.release.release()
    first.join()
    store.held.entered.acquire()  # the batch of three is in flight: it fails half written
    store.held.fail_next = True
    store.held.release.release()
    for writer in batch:
        writer.join()
        assert isinstance(writer.error, WriteFailed)
    assert [doc["name"] for doc in store.list("root")] == ["a", "b"]
    crash(store)
    assert journal_of(store.data_path).read_bytes().count(b"\n") == 1  # only the first write
    reopened = ModelStore.seeded(open_db(store.data_path), [], [], [])
    assert [doc["name"] for doc in reopened.list("root")] == ["a", "b"]
    assert reopened.get("root", "a")["summary"] == "first"
