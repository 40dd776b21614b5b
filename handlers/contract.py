"""The contract, ``openapi.yaml``, read once: the mock takes its facts from it, not from copies."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

CONTRACT_PATH = Path(__file__).resolve().parent.parent / "openapi.yaml"


@functools.cache
def document() -> dict[str, Any]:
    """The parsed contract; callers must not change it."""
    return yaml.safe_load(CONTRACT_PATH.read_text(encoding="utf-8"))


def component(kind: str, name: str) -> Any:
    """``components.<kind>.<name>``, e.g. ``component("schemas", "ModelUpdate")``."""
    return document()["components"][kind][name]
