"""A request body the validator already holds, handed to Flask without a trip back to the event loop.

Flask runs on a thread pool behind a2wsgi, whose ``wsgi.input`` fetches each body chunk by
scheduling ``receive`` on the event loop and blocking the thread until it ran: one round trip
between the threads per PATCH or POST, the main reason a PATCH cost more than a GET. By then
the body validator (:mod:`handlers.validation`) has read the whole body and replays it from
memory, so the replay is drained here, on the event loop, and Flask reads it from a buffer.
Bodies the validator did not read go the usual way.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from a2wsgi import WSGIMiddleware
from starlette.types import Receive, Scope, Send

REPLAYED_KEY = "syft_models_mock.body_replayed"  # scope extension: the receive channel replays a body held in memory
_BODY_KEY = "syft_models_mock.body"

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def mark_replayed(scope: Scope) -> None:
    """Says that the ``receive`` handed on with ``scope`` replays the whole body from memory."""
    scope.setdefault("extensions", {})[REPLAYED_KEY] = True


class BufferedBody:
    """Wraps a2wsgi's middleware: a replayed body is read on the event loop and given to Flask as a buffer."""

    def __init__(self, wsgi_middleware: WSGIMiddleware) -> None:
        self.wsgi_middleware = wsgi_middleware
        wsgi_middleware.app = _from_buffer(wsgi_middleware.app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        extensions = scope.get("extensions") or {}
        if scope["type"] == "http" and extensions.get(REPLAYED_KEY):
            chunks, more_body = [], True
            while more_body:
                message = await receive()  # a replayed message: at hand, never waits for the client
                chunks.append(message.get("body", b""))
                more_body = message.get("more_body", False)
            scope = {**scope, "extensions": {**extensions, _BODY_KEY: b"".join(chunks)}}
        await self.wsgi_middleware(scope, receive, send)


def _from_buffer(app: WSGIApp) -> WSGIApp:
    def with_buffered_body(environ: dict, start_response: Callable) -> Any:
        body = (environ.get("asgi.scope") or {}).get("extensions", {}).get(_BODY_KEY)
        if body is not None:
            environ["wsgi.input"] = io.BytesIO(body)
        return app(environ, start_response)

    return with_buffered_body
