"""Ctrl-C and SIGTERM stop a run between two requests, never in the middle of one.

A request cut off in flight may still land on the target after the kit has swept it clean, and
leave a model behind. So the first signal only asks to stop; the kit's client and the
Schemathesis phase check :func:`raise_if_requested` before each request, and every request is
bounded by its timeout. A second signal stops at once. During cleanup signals are ignored.
"""

from __future__ import annotations

import signal
import threading
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
