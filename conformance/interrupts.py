"""Ctrl-C and SIGTERM stop a run between two requests, never in the middle of one.

A request cut off in flight may still land on the target after the kit has swept it clean, and
leave a model behind. So the first signal only asks to stop; the kit's client and the
Schemathesis phase check :func:`raise_if_requested` before each request, and every request is
bounded by its timeout. A second signal stops at once. During cleanup signals are ignored.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_requested = threading.Event()


def requested() -> bool:
    return _requested.is_set()


def raise_if_requested() -> None:
    if _requested.is_set():
        raise KeyboardInterrupt("stop requested")


@contextmanager
def _handlers(handler) -> Iterator[None]:  # noqa: ANN001
    try:
        saved = {sig: signal.signal(sig, handler) for sig in _SIGNALS}
    except ValueError:  # not the main thread: signals stay as they are
        yield
        return
    try:
        yield
    finally:
        for sig, previous in saved.items():
            signal.signal(sig, previous)


@contextmanager
def stop_between_requests() -> Iterator[None]:
    """The run's signal handling (it also overrides a SIGINT inherited as ignored)."""

    def handle(signum, frame):  # noqa: ANN001
        if _requested.is_set():
            raise KeyboardInterrupt(f"signal {signum}")
        _requested.set()

    _requested.clear()
    try:
        with _handlers(handle):
            yield
    finally:
        _requested.clear()  # the cleanup that follows must be able to send its requests


@contextmanager
def ignored() -> Iterator[None]:
    """Cleanup must finish: no signal cuts it short."""
    with _handlers(signal.SIG_IGN):
        yield


class HardStop(KeyboardInterrupt):
    """Raised by :func:`hard_stop_at` in the main thread, whatever it was waiting for."""


@contextmanager
def hard_stop_at(deadline: float) -> Iterator[list[bool]]:
    """Raise `HardStop` in the main thread at monotonic `deadline`, even inside a socket read.

    For waits no timeout of the kit's reaches: a library's own requests, which a 1-byte drip
    keeps alive under any per-read timeout. A `KeyboardInterrupt`, so no test framework takes
    it for a failing example. The list yielded holds True once it fired (a library that turns
    interrupts into a clean stop swallows the exception). Outside the main thread: no stop.
    """
    fired: list[bool] = []

    def expire(signum, frame):  # noqa: ANN001
        fired.append(True)
        raise HardStop("the hard deadline passed")

    try:
        previous = signal.signal(signal.SIGALRM, expire)
    except ValueError:  # not the main thread
        yield fired
        return
    signal.setitimer(signal.ITIMER_REAL, max(deadline - time.monotonic(), 0.001))
    try:
        yield fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
