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


def load_seed(directory: str | Path = DEFAULT_FIXTURES) -> Seed:
    folder = Path(directory)

    def read(name: str):
        return json.loads((folder / name).read_text(encoding="utf-8"))

    return Seed(
        tenants=read("tenants.json"),
        admin_keys=read("admin_keys.json"),
        model_types=read("model_types.json"),
        models=read("models.json"),
        providers=read("providers.json"),
    )
