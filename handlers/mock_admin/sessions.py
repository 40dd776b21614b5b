"""Which sandbox a request names: the ``X-Mock-Session`` header, else the ``mock_session`` query
parameter or cookie (for browser pages that cannot set headers). Without one, the request uses the
shared default state, exactly as without sandboxes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from handlers.current import SANDBOX_KEY, SERVICE_KEY, request_context
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
                context = request_context(scope)
                context[SERVICE_KEY] = self.select(session)
                context[SANDBOX_KEY] = session
        await self.app(scope, receive, send)
