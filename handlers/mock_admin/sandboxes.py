"""Sandboxes: a private state per developer or test worker, kept by session id.

A sandbox starts as a copy-on-write fork of the fixtures on first use; the least recently used
one goes when there are ``limit`` of them, and any idle for ``idle_seconds`` goes at the next
lookup. Which sandbox a request names is :mod:`handlers.mock_admin.sessions`' job.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from handlers.rules import ModelService


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
