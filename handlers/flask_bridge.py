"""Flask behind a2wsgi with one round trip between Flask's thread and the event loop per request.

Connexion runs Flask on a thread pool behind a2wsgi, which crosses between the thread and the
event loop for each body chunk read (``wsgi.input``) and for each response message sent
(``start_response``, every chunk, the end), the thread waiting each time for the loop to run
it: four or five round trips for a request whose answer is one small JSON document, the largest
cost of a request after Connexion's own. Here:

* the body the validator has already read (:mod:`handlers.validation`; Connexion replays it from
  memory) is drained on the event loop and given to Flask as a buffer; bodies the validator did
  not read go the usual way;
* the answer is collected in the thread and sent by the event loop once Flask returned, as one
  body message. Flask's answers here are JSON documents already whole in memory (the list of
  10,000 models included); an exception in Flask before the end sends nothing, so the error
  handlers answer it instead of a cut-off response.
"""

from __future__ import annotations

import contextvars
import functools
import io
from collections.abc import Callable, Iterable
from typing import Any

from a2wsgi.wsgi import Body, WSGIMiddleware, WSGIResponder, build_environ
from starlette.types import Message, Receive, Scope, Send

REPLAYED_KEY = "syft_models_mock.body_replayed"  # scope extension: the receive channel replays a body held in memory
_BODY_KEY = "syft_models_mock.body"

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def mark_replayed(scope: Scope) -> None:
    """Says that the ``receive`` handed on with ``scope`` replays the whole body from memory."""
    scope.setdefault("extensions", {})[REPLAYED_KEY] = True


class FlaskBridge:
    """Takes the place of a2wsgi's middleware in front of Flask (its thread pool is kept)."""

    def __init__(self, wsgi_middleware: WSGIMiddleware) -> None:
        self.wsgi_middleware = wsgi_middleware
        self.app = _from_buffer(wsgi_middleware.app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.wsgi_middleware(scope, receive, send)
            return
        extensions = scope.get("extensions") or {}
        if extensions.get(REPLAYED_KEY):
            chunks, more_body = [], True
            while more_body:
                message = await receive()  # a replayed message: at hand, never waits for the client
                chunks.append(message.get("body", b""))
                more_body = message.get("more_body", False)
            scope = {**scope, "extensions": {**extensions, _BODY_KEY: b"".join(chunks)}}
        responder = _WholeAnswer(self.app, self.wsgi_middleware.executor, self.wsgi_middleware.send_queue_size)
        await responder(scope, receive, send)


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
        run = functools.partial(contextvars.copy_context().run, self.wsgi)
        await self.loop.run_in_executor(self.executor, run, environ, self.start_response)
        if self.exc_info is not None:
            raise self.exc_info[1].with_traceback(self.exc_info[2])
        if not self.messages:
            raise RuntimeError("the WSGI app returned without starting a response")
        start, *bodies = self.messages
        await send(start)
        await send({"type": "http.response.body", "body": b"".join(message.get("body", b"") for message in bodies)})


def _from_buffer(app: WSGIApp) -> WSGIApp:
    def with_buffered_body(environ: dict, start_response: Callable) -> Any:
        body = (environ.get("asgi.scope") or {}).get("extensions", {}).get(_BODY_KEY)
        if body is not None:
            environ["wsgi.input"] = io.BytesIO(body)
        return app(environ, start_response)

    return with_buffered_body
