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

from handlers import clock, fixture_cache, jsonstream
from handlers.store import StoredModels

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
    models: StoredModels
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
    models = _stored_models(folder / FILES["models"], tenant_names, type_names)
    return Seed(admin_keys=keys, providers=raw["providers"], tenants=raw["tenants"], model_types=raw["model_types"],
                models=models)


def _stored_models(source: Path, tenant_names: set[str], type_names: set[str]) -> StoredModels:
    """The models of ``source`` checked, or read back from the cache of a check of the same inputs."""
    raw = _bytes(source)
    cache = fixture_cache.location(source) if len(raw) >= fixture_cache.MIN_BYTES else None
    if cache is None:
        return _checked_file(source, _decoded(source, raw), tenant_names, type_names)
    cache_key = fixture_cache.key(raw, tenant_names, type_names)
    models = fixture_cache.read(cache, cache_key)
    if models is None:
        models = _checked_file(source, _decoded(source, raw), tenant_names, type_names)
        fixture_cache.write(cache, cache_key, models)
    return models


def _checked_file(source: Path, text: str, tenant_names: set[str], type_names: set[str]) -> StoredModels:
    """The models of ``text`` (the file ``source``) checked and stored as texts."""
    try:  # the models are parsed one at a time (see handlers.jsonstream)
        return StoredModels.of(checked_models(jsonstream.array_items(text), str(source), tenant_names, type_names))
    except FixtureError:
        _parsed(source, text)  # a file that is not JSON further down says so first, as a whole parse would
        raise
    except ValueError:
        _parsed(source, text)  # raises the problem with its line and column
        raise FixtureError(f"{source}: expected a JSON list") from None


def admin_keys(directory: str | Path = DEFAULT_FIXTURES) -> list[str]:
    """Only the keys (what ``make serve`` prints), without parsing every model again."""
    return _checked_keys(_read(Path(directory) / FILES["admin_keys"]), Path(directory))


def _checked_keys(keys: Any, folder: Path) -> list[str]:
    if not isinstance(keys, list) or not keys or not all(isinstance(key, str) and key for key in keys):
        raise FixtureError(f"{folder / FILES['admin_keys']}: expected a non-empty list of non-empty strings")
    return keys


def _read(path: Path) -> Any:
    return _parsed(path, _text(path))


def _text(path: Path) -> str:
    return _decoded(path, _bytes(path))


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise FixtureError(f"{path}: missing file") from None
    except OSError as exc:
        raise FixtureError(f"{path}: unreadable ({exc})") from None


def _decoded(path: Path, raw: bytes) -> str:
    """The text as reading it in text mode gives it (line ends as ``\\n``: an error's line number counts them)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FixtureError(f"{path}: unreadable ({exc})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


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
        yield _checked_model(model, source, number, tenants, types, seen)


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


def _checked_model(model: Any, source: str, number: int, tenants: set[str], types: set[str],
                   seen: dict[str, set[str]]) -> dict:
    """One model checked and completed; the place it names in an error is built only then."""
    if not isinstance(model, dict):
        raise FixtureError(f"{source}: entry {number}: expected a JSON object")
    for key in _REQUIRED_STRINGS:
        value = model.get(key)
        if not value or not isinstance(value, str):
            raise FixtureError(f"{source}: entry {number}: needs a non-empty string '{key}'")
    tenant, name, dtype, created_at = model["tenant"], model["name"], model["dtype"], model["created_at"]
    problem = _model_problem(model, name, tenant, dtype, tenants, types, seen)
    if problem:
        raise FixtureError(f"{source}: entry {number} ('{name}'): {problem}")
    seen[tenant].add(name)
    completed = {
        "tenant": tenant,
        "id": model.get("id") or str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tenant}/{name}")),
        "name": name,
        "dtype": dtype,
        "configuration": model.get("configuration", {}),
        "summary": model.get("summary", ""),
        "tags": model.get("tags", ""),
        "created_at": created_at,
        "updated_at": model.get("updated_at", created_at),
        "connected_endpoints": model.get("connected_endpoints", []),
    }
    if not model.keys() <= _MODEL_KEYS:
        completed.update((key, value) for key, value in model.items() if key not in _MODEL_KEYS)
    return completed


def _model_problem(model: dict, name: str, tenant: str, dtype: str, tenants: set[str], types: set[str],
                   seen: dict[str, set[str]]) -> str | None:
    """What is wrong with a model whose required strings are there, or None."""
    if "/" in name or name in RESERVED_NAMES or len(name) > MAX_NAME:
        return f"a name has at most {MAX_NAME} characters, no '/', and is not types, . or .."
    if tenant not in tenants:
        return f"unknown tenant '{tenant}' (known: {', '.join(sorted(tenants))})"
    if dtype not in types:
        return f"unknown dtype '{dtype}' (known: {', '.join(sorted(types))})"
    if name in seen[tenant]:
        return f"duplicate name in tenant '{tenant}'"
    if not isinstance(model.get("configuration", {}), dict):
        return "'configuration' must be a JSON object"
    for key in ("created_at", "updated_at"):
        if key in model and not _is_timestamp(model[key]):
            return f"'{key}' must be an RFC 3339 date-time with an offset, like 2024-03-15T10:30:00Z"
    for key in ("summary", "tags", "id"):
        if key in model and not isinstance(model[key], str):
            return f"'{key}' must be a string"
    endpoints = model.get("connected_endpoints", [])
    if not isinstance(endpoints, list) or not all(map(_is_endpoint, endpoints)):
        return "'connected_endpoints' must be a list of objects with string id, name and slug"
    return None


def _is_endpoint(endpoint: Any) -> bool:
    return (isinstance(endpoint, dict) and isinstance(endpoint.get("id"), str)
            and isinstance(endpoint.get("name"), str) and isinstance(endpoint.get("slug"), str))


_REQUIRED_STRINGS = ("tenant", "name", "dtype", "created_at")
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
