"""The fixtures cache (issue 10, start-up): a shortcut that is used only when it is intact and current.

A cache is proved used when a start succeeds with the checks made to fail, and proved not trusted
when the checks run (and see the file as it is) after the file, the names it is checked against,
the contract or the cache itself changed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from handlers import fixture_cache, fixtures
from handlers.fixtures import DEFAULT_FIXTURES, FixtureError, load_seed
from handlers.storage import open_db
from handlers.store import ModelStore

AWKWARD_NAME = "line\nbreak \u2028 \ud800 é \U0001f600"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    """Every models file is cached (however small), in a folder of the test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(fixture_cache.ENVIRONMENT, str(folder))
    monkeypatch.setattr(fixture_cache, "MIN_BYTES", 0)
    return folder


@pytest.fixture
def folder(tmp_path) -> Path:
    copied = tmp_path / "fixtures"
    shutil.copytree(DEFAULT_FIXTURES, copied)
    models = json.loads((copied / "models.json").read_text())
    models.append({**models[0], "name": AWKWARD_NAME, "id": "awkward", "summary": "lone \ud800, nul \x00"})
    (copied / "models.json").write_text(json.dumps(models, indent=2))
    return copied


@pytest.fixture
def checks(monkeypatch) -> list[int]:
    """Counts the checks of a models file (each entry: one file checked)."""
    counted: list[int] = []
    real = fixtures.checked_models

    def counting(*args, **kwargs):
        counted.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(fixtures, "checked_models", counting)
    return counted


def refuse_checks(monkeypatch) -> None:
    def refused(*args, **kwargs):
        raise AssertionError("the models were checked again")

    monkeypatch.setattr(fixtures, "checked_models", refused)


def cache_file(cache_dir: Path) -> Path:
    (found,) = cache_dir.glob("*.models")
    return found


def edit_models(folder: Path, change) -> None:
    models = json.loads((folder / "models.json").read_text())
    change(models)
    (folder / "models.json").write_text(json.dumps(models))


def test_a_second_start_reads_the_checked_models_back_exactly(cache_dir, folder, monkeypatch):
    checked = load_seed(folder).models
    refuse_checks(monkeypatch)
    cached = load_seed(folder).models
    assert (cached.tenants, cached.names, cached.texts) == (checked.tenants, checked.names, checked.texts)
    assert AWKWARD_NAME in cached.names


def test_a_store_seeded_from_the_cache_serves_what_a_checked_seed_serves(cache_dir, folder):
    def every_model(seed) -> list[dict]:
        store = ModelStore.seeded(open_db(None), seed.tenants, seed.model_types, seed.models)
        return [store.get(tenant["name"], model["name"]) for tenant in seed.tenants for model in store.list(tenant["name"])]

    checked, cached = load_seed(folder), load_seed(folder)
    assert every_model(cached) == every_model(checked)
    assert any(model["name"] == AWKWARD_NAME and model["summary"] == "lone \ud800, nul \x00" for model in every_model(cached))


def test_a_changed_models_file_is_checked_again(cache_dir, folder, checks):
    load_seed(folder)
    edit_models(folder, lambda models: models[0].update(summary="edited"))
    models = load_seed(folder).models
    assert len(checks) == 2
    assert json.loads(models.texts[0])["summary"] == "edited"


def test_a_models_file_made_invalid_is_refused_despite_its_cache(cache_dir, folder):
    load_seed(folder)
    edit_models(folder, lambda models: models[1].update(name=models[0]["name"], tenant=models[0]["tenant"]))
    with pytest.raises(FixtureError, match="duplicate name"):
        load_seed(folder)


def test_a_removed_tenant_makes_its_models_refused_despite_the_cache(cache_dir, folder):
    load_seed(folder)
    tenants = json.loads((folder / "tenants.json").read_text())
    (folder / "tenants.json").write_text(json.dumps([tenant for tenant in tenants if tenant["name"] != "acme"]))
    with pytest.raises(FixtureError, match="unknown tenant 'acme'"):
        load_seed(folder)


def test_a_changed_contract_invalidates_the_cache(cache_dir, folder, checks, monkeypatch, tmp_path):
    load_seed(folder)
    changed = tmp_path / "openapi.yaml"
    changed.write_text(fixture_cache.CONTRACT_PATH.read_text() + "\n# changed\n")
    monkeypatch.setattr(fixture_cache, "CONTRACT_PATH", changed)
    load_seed(folder)
    assert len(checks) == 2


@pytest.mark.parametrize("damage", [
    lambda raw: raw[: len(raw) // 2],  # torn
    lambda raw: b"",
    lambda raw: raw.split(b"\n")[0],  # the header alone
    lambda raw: b"not a cache at all",
    lambda raw: raw.replace(b"gpt-4-assistant", b"gpt-4-assistanT"),  # one byte changed, same length
    lambda raw: raw.replace(b'"format":', b'"format": 0, "old":', 1),
    lambda raw: raw + b"\n{}",  # a model too many
    lambda raw: b"\xff\xfe" + raw,
], ids=["torn", "empty", "header only", "garbage", "one byte changed", "other format", "extra line", "not ascii"])
def test_a_damaged_cache_is_ignored_and_rewritten(cache_dir, folder, checks, damage):
    expected = load_seed(folder).models
    path = cache_file(cache_dir)
    intact = path.read_bytes()
    path.write_bytes(damage(intact))
    models = load_seed(folder).models
    assert len(checks) == 2
    assert (models.names, models.texts) == (expected.names, expected.texts)
    assert path.read_bytes() == intact


def test_a_cache_written_for_other_inputs_is_not_used(cache_dir, folder, checks):
    load_seed(folder)
    path = cache_file(cache_dir)
    header, rest = path.read_bytes().split(b"\n", 1)
    forged = json.loads(header) | {"key": "0" * 64}
    path.write_bytes(json.dumps(forged).encode() + b"\n" + rest)
    load_seed(folder)
    assert len(checks) == 2


def test_no_cache_when_turned_off_or_unwritable(folder, checks, monkeypatch, tmp_path):
    monkeypatch.setattr(fixture_cache, "MIN_BYTES", 0)
    monkeypatch.setenv(fixture_cache.ENVIRONMENT, "")
    load_seed(folder)
    load_seed(folder)
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setenv(fixture_cache.ENVIRONMENT, str(blocked))
    assert load_seed(folder).models.names
    assert len(checks) == 3 and blocked.read_text() == ""


def test_a_small_models_file_is_not_cached(folder, checks, monkeypatch, tmp_path):
    monkeypatch.setenv(fixture_cache.ENVIRONMENT, str(tmp_path / "cache"))
    load_seed(folder)
    load_seed(folder)
    assert len(checks) == 2 and not (tmp_path / "cache").exists()


def test_each_fixtures_folder_keeps_one_cache_however_often_it_changes(cache_dir, folder):
    for summary in ("one", "two", "three"):
        models = json.loads((folder / "models.json").read_text())
        models[0]["summary"] = summary
        (folder / "models.json").write_text(json.dumps(models))
        load_seed(folder)
    assert len(list(cache_dir.iterdir())) == 1
