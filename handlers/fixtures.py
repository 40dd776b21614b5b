"""Seed data from ``fixtures/``: human-editable JSON, one file per kind, checked on load.

A person edits these files, so a mistake must be reported as one line naming the file, the
entry and the problem (:class:`FixtureError`), never as a traceback or a silent start. The
same checks apply to a state loaded through the control plane (``PUT /__mock/state``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, SchemaError

from handlers import clock, jsonstream
from handlers.store import StoredModel

DEFAULT_FIXTURES = Path(__file__).resolve().parent / "bundled" / "fixtures"
FILES = {"tenants": "tenants.json", "admin_keys": "admin_keys.json",
         "model_types": "model_types.json", "models": "models.json", "providers": "providers.json"}
RESERVED_NAMES = ("types", ".", "..")
MAX_NAME = 256


class FixtureError(ValueError):
    """A seed file or a loaded state is unusable; the message names the file, the entry and the problem."""


@dataclass(frozen=True)
class Seed:
    tenants: list[dict]
    admin_keys: list[str]
    model_types: list[dict]
    models: list[StoredModel]
    providers: dict


def load_seed(directory: str | Path = DEFAULT_FIXTURES) -> Seed:
    folder = Path(directory)
    if not folder.is_dir():
        raise FixtureError(f"{folder}: no such fixtures folder")
    raw = {kind: _read(folder / name) for kind, name in FILES.items() if kind != "models"}
    keys = _checked_keys(raw["admin_keys"], folder)
    if not isinstance(raw["providers"], dict):
        raise FixtureError(f"{folder / FILES['providers']}: expected a JSON object")
    tenant_names, type_names = _checked_kinds(raw["tenants"], raw["model_types"],
                                              {kind: str(folder / name) for kind, name in FILES.items()})
    source = folder / FILES["models"]
    text = _text(source)
    try:
        models = [StoredModel.of(model)
                  for model in checked_models(_listed(source, text), str(source), tenant_names, type_names)]
    except FixtureError:
        _parsed(source, text)  # a file that is not JSON further down says so first, as a whole parse would
        raise
    return Seed(admin_keys=keys, providers=raw["providers"], tenants=raw["tenants"], model_types=raw["model_types"],
                models=models)


def admin_keys(directory: str | Path = DEFAULT_FIXTURES) -> list[str]:
    """Only the keys (what ``make serve`` prints), without parsing every model again."""
    return _checked_keys(_read(Path(directory) / FILES["admin_keys"]), Path(directory))


def _checked_keys(keys: Any, folder: Path) -> list[str]:
    if not isinstance(keys, list) or not keys or not all(isinstance(key, str) and key for key in keys):
        raise FixtureError(f"{folder / FILES['admin_keys']}: expected a non-empty list of non-empty strings")
    return keys


def _read(path: Path) -> Any:
    return _parsed(path, _text(path))


def _listed(path: Path, text: str) -> Iterator[Any]:
    """The items of the JSON list ``text`` (of ``path``), parsed one at a time (see :mod:`handlers.jsonstream`)."""
    items = jsonstream.array_items(text)
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except ValueError:
            _parsed(path, text)  # raises the problem with its line and column
            raise FixtureError(f"{path}: expected a JSON list") from None
        yield item


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FixtureError(f"{path}: missing file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FixtureError(f"{path}: unreadable ({exc})") from None


def _parsed(path: Path, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        problem = getattr(exc, "msg", str(exc))
        where = f"line {exc.lineno} column {exc.colno}: " if hasattr(exc, "lineno") else ""
        raise FixtureError(f"{path}: {where}invalid JSON ({problem})") from None


def checked_state(tenants: Any, model_types: Any, models: Any, sources: dict[str, str]) -> dict[str, list[dict]]:
    """Tenants, model types and models checked against each other; models completed with defaults."""
    tenant_names, type_names = _checked_kinds(tenants, model_types, sources)
    if not isinstance(models, list):
        raise FixtureError(f"{sources['models']}: expected a JSON list")
    completed = list(checked_models(models, sources["models"], tenant_names, type_names))
    return {"tenants": tenants, "model_types": model_types, "models": completed}


def _checked_kinds(tenants: Any, model_types: Any, sources: dict[str, str]) -> tuple[set[str], set[str]]:
    """The names of the tenants and of the model types, each entry checked."""
    tenant_names = _named_entries(tenants, sources["tenants"])
    for number, tenant in enumerate(tenants):
        if not isinstance(tenant.get("active", True), bool):
            raise FixtureError(f"{sources['tenants']}: entry {number} ('{tenant['name']}'): 'active' must be true or false")
    type_names = _named_entries(model_types, sources["model_types"])
    for number, model_type in enumerate(model_types):
        where = f"{sources['model_types']}: entry {number} ('{model_type['name']}')"
        if not isinstance(model_type.get("config_schema"), dict):
            raise FixtureError(f"{where}: 'config_schema' must be a JSON Schema object")
        try:
            Draft202012Validator.check_schema(model_type["config_schema"])
        except SchemaError as exc:
            raise FixtureError(f"{where}: 'config_schema' is not a valid JSON Schema ({exc.message})") from None
    return tenant_names, type_names


def checked_models(models: Iterable[Any], source: str, tenants: set[str], types: set[str]) -> Iterator[dict]:
    """Each model checked (names unique per tenant) and completed with defaults, in turn."""
    seen: dict[str, set[str]] = {tenant: set() for tenant in tenants}
    for number, model in enumerate(models):
        yield _checked_model(model, f"{source}: entry {number}", tenants, types, seen)


def _named_entries(entries: Any, source: str) -> set[str]:
    if not isinstance(entries, list):
        raise FixtureError(f"{source}: expected a JSON list")
    names: set[str] = set()
    for number, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"]:
            raise FixtureError(f"{source}: entry {number}: needs a non-empty string 'name'")
        if entry["name"] in names:
            raise FixtureError(f"{source}: entry {number}: duplicate name '{entry['name']}'")
        names.add(entry["name"])
    return names


def _checked_model(model: Any, where: str, tenants: set[str], types: set[str], seen: dict[str, set[str]]) -> dict:
    if not isinstance(model, dict):
        raise FixtureError(f"{where}: expected a JSON object")
    for key in ("tenant", "name", "dtype", "created_at"):
        if not isinstance(model.get(key), str) or not model[key]:
            raise FixtureError(f"{where}: needs a non-empty string '{key}'")
    name = model["name"]
    where = f"{where} ('{name}')"
    if "/" in name or name in RESERVED_NAMES or len(name) > MAX_NAME:
        raise FixtureError(f"{where}: a name has at most {MAX_NAME} characters, no '/', and is not types, . or ..")
    if model["tenant"] not in tenants:
        raise FixtureError(f"{where}: unknown tenant '{model['tenant']}' (known: {', '.join(sorted(tenants))})")
    if model["dtype"] not in types:
        raise FixtureError(f"{where}: unknown dtype '{model['dtype']}' (known: {', '.join(sorted(types))})")
    if name in seen[model["tenant"]]:
        raise FixtureError(f"{where}: duplicate name in tenant '{model['tenant']}'")
    seen[model["tenant"]].add(name)
    if not isinstance(model.get("configuration", {}), dict):
        raise FixtureError(f"{where}: 'configuration' must be a JSON object")
    for key in ("created_at", "updated_at"):
        if key in model and not _is_timestamp(model[key]):
            raise FixtureError(f"{where}: '{key}' must be an RFC 3339 date-time with an offset, like 2024-03-15T10:30:00Z")
    for key in ("summary", "tags", "id"):
        if key in model and not isinstance(model[key], str):
            raise FixtureError(f"{where}: '{key}' must be a string")
    endpoints = model.get("connected_endpoints", [])
    if not isinstance(endpoints, list) or not all(
            isinstance(endpoint, dict) and all(isinstance(endpoint.get(key), str) for key in ("id", "name", "slug"))
            for endpoint in endpoints):
        raise FixtureError(f"{where}: 'connected_endpoints' must be a list of objects with string id, name and slug")
    return {
        "tenant": model["tenant"],
        "id": model.get("id") or str(uuid.uuid5(uuid.NAMESPACE_URL, f"{model['tenant']}/{name}")),
        "name": name,
        "dtype": model["dtype"],
        "configuration": model.get("configuration", {}),
        "summary": model.get("summary", ""),
        "tags": model.get("tags", ""),
        "created_at": model["created_at"],
        "updated_at": model.get("updated_at", model["created_at"]),
        "connected_endpoints": endpoints,
        **{key: value for key, value in model.items() if key not in _MODEL_KEYS},
    }


_MODEL_KEYS = {"tenant", "id", "name", "dtype", "configuration", "summary", "tags", "created_at",
               "updated_at", "connected_endpoints"}


def _is_timestamp(value: Any) -> bool:
    has_offset = isinstance(value, str) and (value[-1:] in ("Z", "z") or value[-6:-5] in ("+", "-"))
    if not has_offset:
        return False
    try:
        clock.parse(value)
    except ValueError:
        return False
    return True
