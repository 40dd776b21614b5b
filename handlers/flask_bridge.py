"""Flask behind a2wsgi with one round trip between Flask's thread and the event loop per request.

Connexion runs Flask on a thread pool behind a2wsgi, which crosses between the thread and the
event loop for each response message sent (``start_response``, every chunk, the end), the thread
waiting each time for the loop to run it. Here the answer is collected in the thread and sent by
the event loop once Flask returned, as one body message. Flask's answers here are JSON documents
already whole in memory (the list of 10,000 models included); an exception in Flask before the
end sends nothing, so the error handlers answer it instead of a cut-off response.

Flask reads no request body: handlers take the body the validator parsed
(:func:`handlers.current.request_body`). Flask is told of no body at all once the validator has
parsed one (no ``Content-Type``, no ``Content-Length``), so that it does not prepare a form
parser for a body it will never read; about 30 µs of a PATCH's CPU.
"""

from __future__ import annotations

import contextvars
import functools
from typing import Any

from a2wsgi.wsgi import Body, WSGIMiddleware, WSGIResponder, build_environ
from starlette.types import Message, Receive, Scope, Send

from handlers.current import BODY_KEY, request_context


class FlaskBridge:
    """Takes the place of a2wsgi's middleware in front of Flask (its thread pool is kept)."""

    def __init__(self, wsgi_middleware: WSGIMiddleware) -> None:
        self.wsgi_middleware = wsgi_middleware

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.wsgi_middleware(scope, receive, send)
            return
        middleware = self.wsgi_middleware
        await _WholeAnswer(middleware.app, middleware.executor, middleware.send_queue_size)(scope, receive, send)


class _WholeAnswer(WSGIResponder):
    """a2wsgi's responder (its ``start_response`` and its loop over Flask's answer), with the
    messages kept in the thread and sent by the event loop after Flask returned."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.messages: list[Message] = []

    def send(self, message: Message | None) -> None:
        """Called in Flask's thread: kept, not sent."""
        if message is not None:
            self.messages.append(message)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        environ = build_environ(scope, Body(self.loop, receive))
        if BODY_KEY in request_context(scope):
            for name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                environ.pop(name, None)
        run = functools.partial(contextvars.copy_context().run, self.wsgi)
        await self.loop.run_in_executor(self.executor, run, environ, self.start_response)
        if self.exc_info is not None:
            raise self.exc_info[1].with_traceback(self.exc_info[2])
        if not self.messages:
            raise RuntimeError("the WSGI app returned without starting a response")
        start, *bodies = self.messages
        await send(start)
        # only the non-empty chunks: a join of one returns it, a list of 10,000 models is not copied again
        body = b"".join([chunk for message in bodies if (chunk := message.get("body", b""))])
        await send({"type": "http.response.body", "body": body})
