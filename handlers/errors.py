"""The errors the mock's rules raise, free of any web framework.

Two families, as the real server answers them: :class:`ApiError` (``{"detail": "<message>"}``)
and :class:`RequestInvalid` (422 ``{"detail": [{"type", "loc", "msg", "input"}, ...]}`` listing
every problem). :mod:`handlers.error_handlers` turns them into HTTP answers.
"""

from __future__ import annotations

from typing import Any

ADMIN_KEY_REQUIRED = "Admin API key required"


class ApiError(Exception):
    """A handled error answered as ``{"detail": message}`` with ``status``."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


class RequestInvalid(Exception):
    """A request that fails validation; ``errors`` holds every problem found, ``body`` the parsed body.

    The entries echo the request in ``input``; the body tells which of it are secrets to hide.
    """

    def __init__(self, errors: list[dict[str, Any]], body: Any = None):
        super().__init__(errors)
        self.errors = errors
        self.body = body


def error_entry(kind: str, loc: list, msg: str, value: Any, ctx: dict | None = None) -> dict:
    """One entry of a 422 ``detail`` list, in the real server's shape."""
    entry = {"type": kind, "loc": loc, "msg": msg, "input": value}
    if ctx is not None:
        entry["ctx"] = ctx
    return entry
