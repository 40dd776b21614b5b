"""Bench data: N models shaped like the fixtures, and a fixtures folder holding them."""

from __future__ import annotations

import json
from pathlib import Path

from handlers.fixtures import DEFAULT_FIXTURES

TENANT = "root"


def model_name(index: int) -> str:
    return f"model-{index:06d}"


def document(index: int) -> dict:
    """One stored model like the documentation's example: a secret, a prompt, one endpoint."""
    return {
        "tenant": TENANT,
        "id": f"00000000-0000-4000-8000-{index:012d}",
        "name": model_name(index),
        "dtype": "openai",
        "configuration": {
            "api_key": f"sk-bench-{index:016d}",
            "model": "gpt-4",
            "base_url": "https://api.openai.com/v1",
            "system_prompt": "You are a helpful AI assistant.",
        },
        "summary": f"Bench model {index}",
        "tags": "openai,gpt-4,bench",
        "created_at": "2024-03-15T10:30:00Z",
        "updated_at": "2024-03-15T10:30:00Z",
        "connected_endpoints": [
            {"id": f"10000000-0000-4000-8000-{index:012d}", "name": f"Endpoint {index}", "slug": f"endpoint-{index}"},
        ],
    }


def documents(size: int) -> list[dict]:
    return [document(index) for index in range(size)]


def write_fixtures(folder: Path, size: int) -> Path:
    """A fixtures folder: the project's own fixtures (tenants, keys, types...) and ``size`` bench models."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in DEFAULT_FIXTURES.glob("*.json"):
        (folder / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "models.json").write_text(json.dumps(documents(size)), encoding="utf-8")
    return folder
