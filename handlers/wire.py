"""Request hygiene before anything reads the request (docs/contract.md §12).

* :class:`BodyLimitMiddleware`: a body larger than the limit is 413
  ``{"detail": "Request body too large"}``. A declared ``Content-Length`` over the limit is
  answered at once, before a byte of the body is read; a chunked (or understated) body is
  counted as it is read and refused the moment it passes the limit, so at most the limit is
  ever held in memory.
* :class:`MediaTypeMiddleware`: media types are case-insensitive (RFC 9110), so
  ``APPLICATION/JSON`` is lower-cased for Connexion, whose validators match them case-sensitively.
"""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
BODY_TOO_LARGE = {"detail": "Request body too large"}


class BodyTooLarge(Exception):
    """The body passed the limit while it was being read; answered 413 by the error handlers."""


async def send_json(send: Send, status: int, body: dict) -> None:
    """A complete JSON answer sent straight from ASGI, for refusals made before the app runs."""
    content = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(content)).encode())]})
    await send({"type": "http.response.body", "body": content})


class BodyLimitMiddleware:
    """Refuses bodies over ``max_bytes``, by their declared length or as they are read."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await send_json(send, 413, BODY_TOO_LARGE)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise BodyTooLarge
            return message

        await self.app(scope, counted, send)


class MediaTypeMiddleware:
    """Lower-cases the media type of ``Content-Type`` (its parameters, e.g. a charset, are kept)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = scope["headers"]
            for index, (name, value) in enumerate(headers):
                if name == b"content-type":
                    media_type, separator, parameters = value.partition(b";")
                    if media_type != media_type.lower():
                        scope = {**scope, "headers": [*headers[:index], (name, media_type.lower() + separator + parameters),
                                                      *headers[index + 1:]]}
                    break
        await self.app(scope, receive, send)
