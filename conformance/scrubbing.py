"""The run's admin key never leaves the kit: every text it prints or writes is scrubbed.

The key reaches output by many roads: the auth rule's malformed headers carry it, a target may
echo request headers into its bodies, a message may quote a body with `repr`. So scrubbing
happens last, over the finished report, whatever put the key there, in each form a text can
hold it (as sent, JSON-, `repr`- and shell-escaped, percent-encoded).
"""

from __future__ import annotations

import dataclasses
import json
from enum import Enum
from typing import Any
from urllib.parse import quote

from conformance.curl import double_quoted

MASK = "$TOKEN"  # reads as the reproductions' `export TOKEN=<admin key>`


def token_forms(token: str) -> list[str]:
    """Every spelling of the key a text may hold, longest first (so none is left half-masked)."""
    forms = {token, json.dumps(token)[1:-1], json.dumps(token, ensure_ascii=False)[1:-1],
             repr(token)[1:-1], quote(token, safe=""), double_quoted(token)[1:-1]}
    return sorted((form for form in forms if form), key=len, reverse=True)


def scrub_text(text: str, token: str) -> str:
    if not token:
        return text
    for form in token_forms(token):
        text = text.replace(form, MASK)
    return text


def scrub(value: Any, token: str) -> Any:
    """A copy of `value` (text, containers, dataclasses) with every string scrubbed."""
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return scrub_text(value, token)
    if isinstance(value, (list, tuple)):
        return type(value)(scrub(item, token) for item in value)
    if isinstance(value, dict):
        return {scrub(key, token): scrub(item, token) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: scrub(getattr(value, f.name), token) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value
