"""Bounds on what connections can make the server hold (docs/contract.md §12).

uvicorn bounds concurrency (``limit_concurrency``: 503 once reached) and idle keep-alive
connections (``timeout_keep_alive``, armed only after a response). Its default HTTP parser
(httptools) has no bound on header size or count, and nothing closes a connection that never
completes a request. :class:`BoundedHttpToolsProtocol` adds the missing ones:

* header bytes (request line included) and header count: over either, 431 and close;
* a deadline for a complete request (head and body), from the connection's start or the
  previous exchange: a connection that sends nothing, or drips, is answered 408 and closed;
* connections over ``max_connections`` are answered 503 and closed at once, so idle sockets
  cannot pile up and use up file descriptors.
"""

from __future__ import annotations

import asyncio
import functools
import json
from dataclasses import dataclass
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


@dataclass(frozen=True)
class ConnectionLimits:
    max_connections: int = 512
    max_header_bytes: int = 32 * 1024
    max_headers: int = 100
    request_timeout: float = 15.0
    keep_alive_timeout: int = 5


DEFAULT_LIMITS = ConnectionLimits()


def _refusal(status: int, phrase: str) -> bytes:
    body = json.dumps({"detail": phrase}).encode()
    head = (f"HTTP/1.1 {status} {phrase}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n").encode()
    return head + body


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with bounded heads, a request deadline and a connection cap."""

    def __init__(self, *args: Any, limits: ConnectionLimits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits
        self._head_bytes = 0
        self._head_count = 0
        self._head_done = False
        self._in_body = False
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            self._refuse(503, "Service Unavailable")
            return
        self._expect_request()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if not self._head_done:
            self._head_bytes += len(data)
        super().data_received(data)
        if not self._head_done and not self.transport.is_closing() and self._head_bytes > self.limits.max_header_bytes:
            self._refuse(431, "Request Header Fields Too Large")

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_count += 1
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._head_done = self._in_body = True
        if self._head_count > self.limits.max_headers:
            self._refuse(431, "Request Header Fields Too Large")
            return
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if not self.transport.is_closing():  # refused: the rest of this chunk is not for anyone
            super().on_body(body)

    def on_message_complete(self) -> None:
        self._in_body = False
        self._cancel_deadline()  # the request is complete: the app has it
        if self.transport.is_closing():
            return
        super().on_message_complete()
        if self.cycle is not None and self.cycle.response_complete:  # answered before its body ended
            self._expect_request()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self._in_body and not self.transport.is_closing():
            self._expect_request()

    def _expect_request(self) -> None:
        """Ready for a request: its head and body must arrive before the deadline."""
        self._head_bytes = self._head_count = 0
        self._head_done = False
        self._cancel_deadline()
        self._deadline = self.loop.call_later(self.limits.request_timeout, self._too_late)

    def _too_late(self) -> None:
        answering = self.cycle is not None and not self.cycle.response_complete and not self._in_body
        if not answering and not self.transport.is_closing():
            self._refuse(408, "Request Timeout")

    def _cancel_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _refuse(self, status: int, phrase: str) -> None:
        self.transport.write(_refusal(status, phrase))
        self.transport.close()


def server_config(app: Any, host: str, port: int, limits: ConnectionLimits = DEFAULT_LIMITS,
                  **options: Any) -> uvicorn.Config:
    """uvicorn's configuration for the mock: its own bounds where it has them, the protocol above for the rest."""
    return uvicorn.Config(
        app, host=host, port=port,
        http=functools.partial(BoundedHttpToolsProtocol, limits=limits),  # type: ignore[arg-type]
        limit_concurrency=limits.max_connections + 1,  # uvicorn counts this connection too
        timeout_keep_alive=limits.keep_alive_timeout,
        **options,
    )
