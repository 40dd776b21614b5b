"""Field-by-field comparison of model snapshots, phrased for failure messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_MISSING = "<missing>"


def changed_fields(before: dict[str, Any], after: dict[str, Any], fields: Iterable[str]) -> list[str]:
    """`field: old -> new` for every listed field whose value differs (or appeared/vanished)."""
    lines = []
    for field in fields:
        old, new = before.get(field, _MISSING), after.get(field, _MISSING)
        if old != new:
            lines.append(f"{field}: {old!r:.120} -> {new!r:.120}")
    return lines


def all_fields(*snapshots: dict[str, Any]) -> list[str]:
    return sorted({key for snapshot in snapshots for key in snapshot})
