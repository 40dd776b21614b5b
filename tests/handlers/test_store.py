"""The store: lookups by (tenant, name) never scan the table, whatever its size."""

from __future__ import annotations

import json

import pytest

from handlers.storage import open_db
from handlers.store import ModelMissing, ModelStore, NameTaken

TENANTS = [{"name": "root", "active": True}, {"name": "acme", "active": True}]


def model(name: str, tenant: str = "root") -> dict:
    return {"tenant": tenant, "name": name, "id": name, "dtype": "openai", "configuration": {},
            "summary": "", "tags": "", "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z", "connected_endpoints": []}


class ScanDetected(AssertionError):
    pass


class NoScanDict(dict):
    """A stored table that fails the test when anything walks all of its documents."""

    def _scan(self, *args, **kwargs):
        raise ScanDetected("the whole table was walked")

    __iter__ = keys = values = items = _scan


@pytest.fixture
def big_store() -> ModelStore:
    store = ModelStore.seeded(open_db(None), TENANTS, [], [model(f"m{i:05d}") for i in range(10_000)])
    store.insert(model("warm-up"))  # TinyDB finds its next id once, by a scan
    tables = store._db.storage.memory
    tables["models"] = NoScanDict(tables["models"])
    return store


def test_get_update_insert_delete_do_not_scan(big_store):
    assert big_store.get("root", "m04242")["name"] == "m04242"
    renamed = big_store.update("root", "m04242", lambda current: {"name": "renamed", "summary": "s"})
    assert renamed["name"] == "renamed" and big_store.get("root", "m04242") is None
    big_store.insert(model("new-one"))
    big_store.delete("root", "m00001")
    assert big_store.get("root", "m00001") is None
    assert big_store.get("root", "renamed")["summary"] == "s"


def test_names_are_unique_per_tenant_only():
    store = ModelStore.seeded(open_db(None), TENANTS, [], [model("same")])
    store.insert(model("same", tenant="acme"))
    with pytest.raises(NameTaken):
        store.insert(model("same"))
    store.insert(model("other"))
    with pytest.raises(NameTaken):
        store.update("root", "other", lambda current: {"name": "same"})
    assert store.get("root", "other")["name"] == "other"


def test_missing_models_raise():
    store = ModelStore.seeded(open_db(None), TENANTS, [], [])
    with pytest.raises(ModelMissing):
        store.update("root", "nope", lambda current: {"summary": "x"})
    with pytest.raises(ModelMissing):
        store.delete("root", "nope")


def test_a_write_never_changes_a_document_handed_out_before_it():
    """Reads hand out the stored version itself; a write stores a new one (what caches rely on)."""
    store = ModelStore.seeded(open_db(None), TENANTS, [], [model("a")])
    before = store.get("root", "a")
    listed = store.list("root")[0]
    kept = json.dumps(before)
    store.update("root", "a", lambda current: {"name": "b", "summary": "changed"})
    assert json.dumps(before) == kept and json.dumps(listed) == kept
    assert store.get("root", "b")["summary"] == "changed"


def test_the_list_json_follows_every_write():
    store = ModelStore.seeded(open_db(None), TENANTS, [], [model("a"), model("b"), model("c")])

    def listed() -> list:
        return json.loads(store.list_json("root", lambda doc: json.dumps(doc).encode()))

    assert listed() == store.list("root")  # the pieces are now kept
    store.update("root", "a", lambda current: {"summary": "changed"})
    store.update("root", "b", lambda current: {"name": "z"})
    store.delete("root", "c")
    store.insert(model("d"))
    assert listed() == store.list("root")
    assert [doc["name"] for doc in listed()] == ["a", "d", "z"] and listed()[0]["summary"] == "changed"
    assert store.list_json("acme", lambda doc: json.dumps(doc).encode()) == b"[]"


def test_list_is_ordered_by_name_code_points():
    names = ["b", "B", "a", "é", "Z", "aa", "_"]
    store = ModelStore.seeded(open_db(None), TENANTS, [], [model(name) for name in names])
    listed = [doc["name"] for doc in store.list("root")]
    assert listed == sorted(names, key=lambda name: name.encode("utf-8"))


def test_state_survives_a_restart_on_a_data_file(tmp_path):
    path = tmp_path / "state.json"
    store = ModelStore.seeded(open_db(path), TENANTS, [], [model("seeded")])
    store.update("root", "seeded", lambda current: {"name": "kept", "summary": "s"})
    store.insert(model("added", tenant="acme"))
    store.close()
    reopened = ModelStore.seeded(open_db(path), TENANTS, [], [model("seeded")])
    assert reopened.get("root", "kept")["summary"] == "s"
    assert reopened.get("root", "seeded") is None
    assert reopened.get("acme", "added") is not None


def test_the_scan_detector_catches_a_query(big_store):
    """Proves the test above can fail: a TinyDB query walks the table."""
    from tinydb import Query

    big_store._models.clear_cache()
    with pytest.raises(ScanDetected):
        big_store._models.search(Query().name == "m00002")


def test_forks_share_the_origin_until_they_write_and_never_see_each_other():
    origin = ModelStore.seeded(open_db(None), TENANTS, [], [model("a"), model("b")])
    first, second = origin.fork(), origin.fork()
    first.update("root", "a", lambda current: {"name": "renamed", "summary": "first's"})
    first.insert(model("only-in-first"))
    second.delete("root", "b")
    assert [doc["name"] for doc in origin.list("root")] == ["a", "b"]
    assert [doc["name"] for doc in first.list("root")] == ["b", "only-in-first", "renamed"]
    assert [doc["name"] for doc in second.list("root")] == ["a"]
    assert [doc["name"] for doc in origin.fork().list("root")] == ["a", "b"]
