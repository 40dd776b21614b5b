"""Seed data from ``fixtures/``: human-editable JSON, one file per kind."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DEFAULT_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass(frozen=True)
class Seed:
    tenants: list[dict]
    admin_keys: list[str]
    model_types: list[dict]
    models: list[dict]
    providers: dict


def _read(directory: str | Path, name: str):
    return json.loads((Path(directory) / name).read_text(encoding="utf-8"))


def admin_keys(directory: str | Path = DEFAULT_FIXTURES) -> list[str]:
    """Only the keys (what ``make serve`` prints), without parsing every model again."""
    return _read(directory, "admin_keys.json")


def load_seed(directory: str | Path = DEFAULT_FIXTURES) -> Seed:
    def read(name: str):
        return _read(directory, name)

    return Seed(
        tenants=read("tenants.json"),
        admin_keys=admin_keys(directory),
        model_types=read("model_types.json"),
        models=read("models.json"),
        providers=read("providers.json"),
    )
