"""Models held as their JSON text, read from files one document at a time (issue 10, memory).

What is read back must be exactly what was stored: every string Python holds (lone surrogates,
NUL, emoji, right-to-left marks), from fixtures, from an older snapshot and from the journal.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from handlers import jsonstream
from handlers.fixtures import DEFAULT_FIXTURES, FixtureError, load_seed
from handlers.storage import open_db
from handlers.store import ModelStore
from tests.handlers.test_store import TENANTS, model

AWKWARD = ["plain", "lone \ud800 surrogate", "nul \x00 and \x1f", "emoji \U0001f600", "rtl \u202e mark", "é"]


@pytest.mark.parametrize("text", [
    "[]", " [ ] ", '[1, "two", {"three": [3, {"x": null}]}, [], {}]', '\n[\n  {"a": "\\u00e9\\ud800"},\n  true\n]\n',
])
def test_array_items_are_what_json_loads_reads(text):
    assert list(jsonstream.array_items(text)) == json.loads(text)


@pytest.mark.parametrize("text", ["", "{}", "[1 2]", "[1,]", "[1] x", "[1", '["a]', "[1] [2]"])
def test_an_array_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError):
        list(jsonstream.array_items(text))


def read_tables(text: str) -> dict:
    return {name: dict(documents) for name, documents in jsonstream.table_documents(text)}


@pytest.mark.parametrize("tables", [
    {}, {"models": {}}, {"tenants": {"1": {"name": "root"}}, "models": {"1": {"a": [1, {"b": None}]}, "12": {}}},
])
def test_table_documents_are_what_json_loads_reads(tables):
    for text in (json.dumps(tables), json.dumps(tables, indent=2), json.dumps(tables, separators=(",", ":"))):
        assert read_tables(text) == tables


@pytest.mark.parametrize("text", ['{"models": []}', '{"models": {"1": {}}', '{"models" {}}', '{models: {}}', "[]"])
def test_tables_that_are_not_tables_are_refused(text):
    with pytest.raises(ValueError):
        read_tables(text)


@pytest.fixture
def fixtures(tmp_path) -> Path:
    folder = tmp_path / "fixtures"
    shutil.copytree(DEFAULT_FIXTURES, folder)
    return folder


def test_fixture_models_keep_every_string_exactly(fixtures):
    models = json.loads((fixtures / "models.json").read_text())
    models[0]["summary"], models[0]["configuration"]["system_prompt"] = AWKWARD[1], AWKWARD
    (fixtures / "models.json").write_text(json.dumps(models))
    seed = load_seed(fixtures)
    store = ModelStore.seeded(open_db(None), seed.tenants, seed.model_types, seed.models)
    stored = store.get(models[0]["tenant"], models[0]["name"])
    assert stored["summary"] == AWKWARD[1] and stored["configuration"]["system_prompt"] == AWKWARD


@pytest.mark.parametrize("content, words", [
    ('{"name": "x"}', ["expected a JSON list"]),
    ('[{"name": "a"},\n {"name": "b"}\n {"name": "c"}]', ["line 3 column 2", "invalid JSON"]),
    ('[{"name": "a"}] trailing', ["line 1 column 17", "invalid JSON"]),
])
def test_a_models_file_that_is_no_json_list_is_one_line(fixtures, content, words):
    (fixtures / "models.json").write_text(content)
    with pytest.raises(FixtureError) as refused:
        load_seed(fixtures)
    message = str(refused.value)
    assert "models.json" in message and "\n" not in message
    assert all(word in message for word in words), message


def test_a_snapshot_written_by_json_dumps_loads_with_every_string(tmp_path):
    """The snapshot of an earlier version (``json.dumps``, non-ASCII as UTF-8) reads back exactly."""
    path = tmp_path / "state.json"
    encodable = [text for text in AWKWARD if "\ud800" not in text]  # that version could not write a lone surrogate
    documents = {str(n): {**model(f"m{n}"), "summary": text} for n, text in enumerate(encodable, start=1)}
    tables = {"tenants": {str(n): tenant for n, tenant in enumerate(TENANTS, start=1)}, "model_types": {},
              "models": documents}
    path.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
    store = ModelStore.seeded(open_db(path), [], [], [])
    assert [doc["summary"] for doc in store.list("root")] == encodable
    store._db.storage.compact()
    store.close()
    assert json.loads(path.read_text(encoding="ascii"))["models"] == documents  # written back as ASCII


def test_every_string_survives_the_journal_and_a_restart(tmp_path):
    path = tmp_path / "state.json"
    store = ModelStore.seeded(open_db(path), TENANTS, [], [model("seeded")])
    for number, text in enumerate(AWKWARD):
        store.insert({**model(f"new-{number}"), "summary": text})
    store.update("root", "seeded", lambda current: {"tags": AWKWARD[1]})
    store._db.storage.journal.close()  # killed: only the journal holds the writes
    reopened = ModelStore.seeded(open_db(path), TENANTS, [], [])
    assert [reopened.get("root", f"new-{n}")["summary"] for n in range(len(AWKWARD))] == AWKWARD
    assert reopened.get("root", "seeded")["tags"] == AWKWARD[1]


def test_a_model_handed_out_is_the_callers_to_change():
    store = ModelStore.seeded(open_db(None), TENANTS, [], [model("a")])
    handed_out = store.get("root", "a")
    handed_out["summary"] = "changed by the caller"
    handed_out["configuration"]["api_key"] = "sk-changed"
    assert store.get("root", "a") == model("a")
    assert store.list("root") == [model("a")]
