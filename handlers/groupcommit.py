"""Group commit: concurrent writers share one journal fsync, and memory still changes only after it.

A write is prepared under the store's lock: its checks run against the committed state as the
pending writes (those queued or being made durable) will leave it, and it is queued with what it
changes. The first waiting writer that finds no batch in flight takes every queued write as one
batch, makes it durable (one journal write, one fsync) without holding the lock, then applies the
batch to memory in order under the lock. A batch that cannot be made durable fails every write in
it and every write queued behind it (whose checks may have relied on it): none is applied, and
each caller raises the failure (503).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from handlers.datafile import Changes, WriteFailed

Entry = tuple[str, Changes]  # a table and its changed documents: one journal line
_ABSENT = object()


@dataclass
class Write:
    """One prepared write: its journal entry, what it makes its checks see, how it is applied."""

    entry: Entry
    effects: dict[Hashable, Any]
    apply: Callable[[], None]
    sequence: int
    done: bool = False
    error: WriteFailed | None = field(default=None)


class GroupCommit:
    """The pending writes of one store; ``lock`` is the store's lock."""

    def __init__(self, lock: threading.RLock, make_durable: Callable[[list[Entry]], None],
                 applied: Callable[[int], None]) -> None:
        self._changed = threading.Condition(lock)
        self._make_durable = make_durable
        self._applied = applied
        self._queue: list[Write] = []
        self._in_flight = False
        self._pending: dict[Hashable, tuple[int, Any]] = {}  # key → (sequence of its last write, value)
        self._sequence = 0

    def pending(self, key: Hashable, default: Any = _ABSENT) -> Any:
        """What the pending writes set ``key`` to, else ``default`` (caller holds the lock)."""
        found = self._pending.get(key)
        return default if found is None else found[1]

    def submit(self, entry: Entry, effects: dict[Hashable, Any], apply: Callable[[], None]) -> Write:
        """Queue a write prepared under the lock; ``effects`` are seen by the checks of the writes after it."""
        self._sequence += 1
        write = Write(entry, effects, apply, self._sequence)
        for key, value in effects.items():
            self._pending[key] = (write.sequence, value)
        self._queue.append(write)
        return write

    def wait(self, write: Write) -> None:
        """Returns once ``write`` is durable and applied; raises WriteFailed if it never will be.

        Called without the lock: a writer that finds no batch in flight makes the batch."""
        while True:
            with self._changed:
                while self._in_flight and not write.done:
                    self._changed.wait()
                if write.done:
                    break
                batch, self._queue = self._queue, []
                self._in_flight = True
            error = self._durable(batch)
            with self._changed:
                self._settle(batch, error)
                self._in_flight = False
                self._changed.notify_all()
        if write.error is not None:
            raise write.error

    def quiesce(self) -> None:
        """Waits until no write is pending (caller holds the lock, which is released while waiting)."""
        while self._in_flight or self._queue:
            self._changed.wait()

    def _durable(self, batch: list[Write]) -> WriteFailed | None:
        try:
            self._make_durable([write.entry for write in batch])
        except WriteFailed as exc:
            return exc
        except Exception as exc:  # noqa: BLE001 - a batch must settle whatever happened, or every writer waits forever
            return WriteFailed(f"the change was not saved ({exc})")
        return None

    def _settle(self, batch: list[Write], error: WriteFailed | None) -> None:
        if error is None:
            for write in batch:
                write.apply()
                for key in write.effects:
                    if self._pending[key][0] == write.sequence:  # no later pending write set it again
                        del self._pending[key]
                write.done = True
            self._applied(len(batch))
            return
        for write in [*batch, *self._queue]:
            write.error, write.done = error, True
        self._queue = []
        self._pending.clear()
