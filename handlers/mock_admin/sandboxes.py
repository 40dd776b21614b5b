"""Sandboxes: a private state per developer or test worker, chosen by a session id.

A request names its sandbox with the ``X-Mock-Session`` header, or, for browser pages that
cannot set headers, the ``mock_session`` query parameter or cookie. Without one it uses the
shared default state. A sandbox starts as a copy-on-write fork of the fixtures on first use;
the least recently used one goes when there are ``limit`` of them, and any idle for
``idle_seconds`` goes at the next lookup.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from handlers.current import SANDBOX_KEY, SERVICE_KEY
from handlers.errors import ApiError
from handlers.rules import ModelService

SESSION_HEADER = "x-mock-session"
SESSION_PARAMETER = "mock_session"
SESSION_ID = re.compile(r"[A-Za-z0-9._~-]{1,64}")
SESSION_ID_RULE = "1 to 64 characters from A-Z a-z 0-9 . _ ~ -"


def session_of(scope: Scope) -> str | None:
    """The sandbox a request names (header, then query parameter, then cookie), or None.

    A malformed id is a 400: silently using the shared state would mix a worker's writes
    with everyone else's.
    """
    headers = Headers(scope=scope)
    session = headers.get(SESSION_HEADER)
    if session is None and scope.get("query_string"):
        values = parse_qs(scope["query_string"].decode("latin-1"), keep_blank_values=True).get(SESSION_PARAMETER)
        session = values[0] if values else None
    if session is None and "cookie" in headers:
        try:
            morsel = SimpleCookie(headers["cookie"]).get(SESSION_PARAMETER)
        except CookieError:
            morsel = None
        session = morsel.value if morsel is not None else None
    if session is not None and not SESSION_ID.fullmatch(session):
        raise ApiError(400, f"Invalid sandbox id: use {SESSION_ID_RULE} (X-Mock-Session, mock_session)")
    return session


class Sandboxes:
    """The live sandboxes, least recently used first; each made by ``make`` on first use."""

    def __init__(self, make: Callable[[], ModelService], limit: int = 1000, idle_seconds: float = 3600,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._make = make
        self._clock = clock
        self.limit = limit
        self.idle_seconds = idle_seconds
        self._live: OrderedDict[str, tuple[ModelService, float]] = OrderedDict()
        self._lock = threading.Lock()

    def service(self, session: str) -> ModelService:
        now = self._clock()
        with self._lock:
            self._drop_idle(now)
            found = self._live.pop(session, None)
            service = found[0] if found is not None else self._make()
            self._live[session] = (service, now)
            while len(self._live) > self.limit:
                self._live.popitem(last=False)
            return service

    def _drop_idle(self, now: float) -> None:
        while self._live:
            session, (_, last_used) = next(iter(self._live.items()))
            if now - last_used < self.idle_seconds:
                return
            del self._live[session]

    def existing(self, session: str) -> ModelService | None:
        with self._lock:
            found = self._live.get(session)
            return found[0] if found is not None else None

    def discard(self, session: str | None = None) -> None:
        """Forget one sandbox (it starts again from the fixtures on its next use), or all."""
        with self._lock:
            if session is None:
                self._live.clear()
            else:
                self._live.pop(session, None)

    def names(self) -> list[str]:
        with self._lock:
            return list(self._live)


class SandboxMiddleware:
    """Puts the service of the request's sandbox in Connexion's context (product routes only)."""

    def __init__(self, app: ASGIApp, select: Callable[[str], ModelService], base_path: str) -> None:
        self.app = app
        self.select = select
        self.prefix = base_path + "/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            session = session_of(scope)
            if session is not None:
                context = scope["extensions"].setdefault("connexion_context", {})
                context[SERVICE_KEY] = self.select(session)
                context[SANDBOX_KEY] = session
        await self.app(scope, receive, send)
