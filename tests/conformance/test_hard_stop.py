"""The Schemathesis phase's last resort (docs/contract.md §12.7): whatever the phase waits for,
the hard stop ends it once its deadline has passed. Every request has a deadline of its own, so
what is left for the hard stop is a wait no timeout reaches; here a socket read from a peer that
never sends. The guard of 60 s only keeps a broken stop from hanging the suite."""

from __future__ import annotations

import signal
import socket
import threading
import time

import pytest

from conformance import interrupts

GUARD_SECONDS = 60


def test_the_hard_stop_ends_a_wait_no_timeout_reaches():
    quiet, peer = socket.socketpair()
    try:
        quiet.settimeout(GUARD_SECONDS)
        with pytest.raises(interrupts.HardStop), interrupts.hard_stop_at(time.monotonic() + 0.1) as fired:
            quiet.recv(1)
        assert fired == [True]
    finally:
        quiet.close()
        peer.close()
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # nothing left armed after the block


def test_a_block_ended_in_time_leaves_no_stop_armed():
    previous = signal.getsignal(signal.SIGALRM)
    with interrupts.hard_stop_at(time.monotonic() + GUARD_SECONDS) as fired:
        pass
    assert fired == []
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is previous


def test_outside_the_main_thread_the_stop_is_not_armed():
    seen: list = []

    def block() -> None:
        with interrupts.hard_stop_at(time.monotonic()) as fired:
            seen.append(fired)

    worker = threading.Thread(target=block)
    worker.start()
    worker.join(GUARD_SECONDS)
    assert seen == [[]]
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
