"""Bearer authentication against the admin keys of ``fixtures/admin_keys.json`` (§2)."""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable, Iterable

from connexion.security import BearerSecurityHandler

BEARER_PREFIX = "Bearer "


class AdminKeyHandler(BearerSecurityHandler):
    """Accepts ``Authorization: Bearer <admin key>``; the word ``Bearer`` is case-sensitive."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._keys = tuple(key.encode() for key in keys)

    def _resolve_func(self, security_scheme: dict):
        return self.admin_key_info

    @staticmethod
    @functools.cache
    def _accepts_kwarg(func: Callable, keyword: str) -> bool:
        """Connexion inspects the key function's signature twice per request; it never changes."""
        return BearerSecurityHandler._accepts_kwarg(func, keyword)

    def admin_key_info(self, _token: str, request) -> dict | None:
        """The key is everything after ``Bearer `` exactly, as on the real server (no trimming)."""
        header = request.headers.get("Authorization", "")
        if not header.startswith(BEARER_PREFIX):
            return None
        offered = header[len(BEARER_PREFIX):].encode("utf-8", "surrogateescape")
        if any(hmac.compare_digest(offered, key) for key in self._keys):
            return {"sub": "admin"}
        return None
