"""What the catalogue's probes share: fresh names, a plain create, a GET, and the offset test.

A probe asks one server directly over HTTP whether an entry's defect shows. It runs against its
entry (must answer True) and against the unmodified mock (must answer False), so it proves both
that the entry is really faulty and that it tells the two apart. Probes touch only models they
create.
"""

from __future__ import annotations

import uuid

import httpx

CONFIG = {"api_key": "sk-probe-0123456789abcdef", "model": "gpt-4"}


def fresh(stem: str = "probe") -> str:
    return f"{stem}-{uuid.uuid4().hex[:8]}"


def body(name: str | None = None, **fields) -> dict:
    """A valid create body (``name`` fresh unless given), with ``fields`` on top."""
    return {"name": fresh() if name is None else name, "dtype": "openai", "configuration": dict(CONFIG), **fields}


def create(http: httpx.Client, name: str | None = None, **fields) -> dict:
    response = http.post("/models/", json=body(name, **fields))
    assert response.status_code == 201, response.text
    return response.json()


def get(http: httpx.Client, name: str) -> httpx.Response:
    return http.get(f"/models/{name}")


def has_offset(stamp: str) -> bool:
    return stamp.endswith(("Z", "z")) or stamp[-6] in "+-"
