"""An HTTP transport whose every socket wait is cut at the request's deadline.

httpx's timeouts apply to each read: a target that sends one byte every two seconds, or an
endless chunked body, never trips a 10 s read timeout. Here the connection's network stream
clamps every connect, read and write to the time left until the deadline of the request in
flight (set per thread by :meth:`DeadlineTransport.deadline_in`), so a request ends at its
deadline however the target dribbles its answer, headers included.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

KEEPALIVE_EXPIRY = 1.0
"""Seconds an idle connection is reused. Servers close idle connections after a few seconds
(uvicorn after 5, gunicorn after 2); a request sent on one as the server closes it is reset
with no answer, which would read as the target's fault. Below every common server timeout."""


class _Deadline(threading.local):
    """The monotonic time at which the current thread's request must end (none: infinity)."""

    at = float("inf")

    def clamp(self, timeout: float | None, expired: type[Exception]) -> float | None:
        left = self.at - time.monotonic()
        if left <= 0:
            raise expired("the request's deadline passed")
        if left == float("inf"):
            return timeout
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._deadline.clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None):
        timeout = self._deadline.clamp(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, timeout), self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, deadline: _Deadline) -> None:
        self._backend = httpcore.SyncBackend()
        self._deadline = deadline

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = self._deadline.clamp(timeout, httpcore.ConnectTimeout)
        stream = self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        return _DeadlineStream(stream, self._deadline)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        timeout = self._deadline.clamp(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_unix_socket(path, timeout, socket_options), self._deadline)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's own transport (exceptions, streaming, TLS), on a pool with the clamping backend."""

    def __init__(self) -> None:
        super().__init__()
        self._deadline = _Deadline()
        # httpx offers no network-backend option; the pool is rebuilt with httpx's TLS defaults.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            network_backend=_DeadlineBackend(self._deadline),
            keepalive_expiry=KEEPALIVE_EXPIRY,
        )

    @contextmanager
    def deadline_in(self, seconds: float) -> Iterator[None]:
        """Requests this thread sends inside the block end `seconds` from now at the latest."""
        previous = self._deadline.at
        self._deadline.at = time.monotonic() + seconds
        try:
            yield
        finally:
            self._deadline.at = previous
