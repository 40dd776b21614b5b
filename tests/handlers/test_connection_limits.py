"""docs/contract.md §12: bounded heads, a deadline for a complete request, a cap on connections,
and a normal request answered while each attack runs (issue 8 §2). Loopback only, bounded in
count and time; every attack stops itself."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from handlers.app import create_app
from handlers.connections import ConnectionLimits
from tests.live import LiveServer

LIMITS = ConnectionLimits(max_connections=64, max_header_bytes=32 * 1024, max_headers=100, request_timeout=1.0)
# Hang guards, not speed assumptions: "answered during the attack" is shown by the attack still
# running when the last answer came (an attack runs until it is stopped, or this long at most).
ANSWER_GUARD = 60.0
ATTACK_GUARD = 300.0


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    live = LiveServer(create_app(), limits=LIMITS)
    yield live
    live.stop()


def connect(server: LiveServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=30)


def read_until_closed(conn: socket.socket) -> bytes:
    answer = b""
    while data := conn.recv(65536):
        answer += data
    return answer


def send_quietly(conn: socket.socket, data: bytes) -> bool:
    """False once the server has closed the connection."""
    try:
        conn.sendall(data)
    except OSError:
        return False
    return True


def normal_gets_during(server: LiveServer, attack: Callable[[threading.Event], None], count: int = 10) -> list[float]:
    """Runs ``attack`` in a thread and, meanwhile, ``count`` normal GETs; each must answer 200 while
    the attack still runs. Each GET has a connection of its own: a kept-alive one could meet the
    server's request deadline between two GETs on a slow machine."""
    stop = threading.Event()
    attacker = threading.Thread(target=attack, args=(stop,), daemon=True)
    attacker.start()
    latencies = []
    try:
        with httpx.Client(base_url=server.base_url, headers=server.auth, timeout=ANSWER_GUARD,
                          limits=httpx.Limits(max_keepalive_connections=0)) as http:
            for _ in range(count):
                response = http.get("/models/gpt-4-assistant")
                assert response.status_code == 200, response.text
                latencies.append(response.elapsed.total_seconds())
        assert attacker.is_alive(), "the attack ended before the normal GETs were answered"
    finally:
        stop.set()
        attacker.join(timeout=ATTACK_GUARD)
    assert not attacker.is_alive()
    return latencies


def until_stopped(stop: threading.Event) -> Iterator[int]:
    """Counts the rounds of an attack until it is stopped (or its guard runs out)."""
    guard = time.monotonic() + ATTACK_GUARD
    rounds = 0
    while not stop.is_set() and time.monotonic() < guard:
        yield rounds
        rounds += 1


def test_a_head_over_the_byte_bound_is_431_and_closed(server):
    with connect(server) as conn:
        conn.sendall(b"GET /api/v1/models/ HTTP/1.1\r\nHost: x\r\nX-Big: ")
        while send_quietly(conn, b"a" * 65536):
            pass
        answer = read_until_closed(conn)

    assert answer.startswith(b"HTTP/1.1 431 ") and answer.endswith(b'{"detail": "Request Header Fields Too Large"}')


def test_more_headers_than_the_bound_is_431(server):
    head = b"GET /api/v1/models/ HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % n for n in range(150)) + b"\r\n"
    with connect(server) as conn:
        conn.sendall(head)
        answer = read_until_closed(conn)

    assert answer.startswith(b"HTTP/1.1 431 ")


def test_a_head_within_the_bounds_is_answered(server):
    head = (b"GET /api/v1/models/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer demo-admin-key\r\nConnection: close\r\n"
            + b"".join(b"X-H%d: %s\r\n" % (n, b"v" * 200) for n in range(90)) + b"\r\n")
    with connect(server) as conn:
        conn.sendall(head)
        answer = read_until_closed(conn)

    assert answer.startswith(b"HTTP/1.1 200 ")


@pytest.mark.parametrize("sent", [b"", b"GET /api/v1/models/ HTTP/1.1\r\nHost:", (b"POST /api/v1/models/ HTTP/1.1\r\n"
                                  b"Host: x\r\nAuthorization: Bearer demo-admin-key\r\nContent-Type: application/json\r\n"
                                  b"Content-Length: 100\r\n\r\n{\"na")],
                         ids=["nothing", "half a head", "half a body"])
def test_a_connection_without_a_complete_request_is_closed_with_408(server, sent):
    with connect(server) as conn:
        conn.sendall(sent)
        answer = read_until_closed(conn)  # returns only once the server closes (the socket timeout is 30 s)

    assert answer.startswith(b"HTTP/1.1 408 ")


DRIP = b"GET /api/v1/models/ HTTP/1.1\r\nHost: x\r\nX-Drip: " + b"a" * 1000  # a valid head, never finished


def test_a_dripped_head_is_cut_at_the_deadline(server):
    with connect(server) as conn:
        for byte in DRIP[:300]:  # one byte per 0.1 s: at most 30 s, the deadline is 1 s
            if not send_quietly(conn, bytes([byte])):
                break
            threading.Event().wait(0.1)
        answer = read_until_closed(conn)

    assert answer.startswith(b"HTTP/1.1 408 ")


def test_connections_over_the_cap_are_answered_503_and_closed():
    limits = ConnectionLimits(max_connections=32, request_timeout=120)  # idle sockets stay until closed here
    capped = LiveServer(create_app(), limits=limits)
    idle = [connect(capped) for _ in range(limits.max_connections - 1)]
    try:
        with httpx.Client(base_url=capped.base_url, headers=capped.auth, timeout=ANSWER_GUARD) as http:
            assert http.get("/models/").status_code == 200  # the last place under the cap: served
        idle.append(connect(capped))
        extra = [connect(capped) for _ in range(5)]
        answers = [read_until_closed(conn) for conn in extra]
    finally:
        for conn in idle:
            conn.close()
        capped.stop()

    assert all(answer.startswith(b"HTTP/1.1 503 ") for answer in answers), answers


def _huge_headers(server: LiveServer) -> Callable[[threading.Event], None]:
    def attack(stop: threading.Event) -> None:
        for _ in until_stopped(stop):  # heads of up to 50 MB each; the server cuts each at 32 KiB
            with connect(server) as conn:
                conn.sendall(b"GET /api/v1/models/ HTTP/1.1\r\nHost: x\r\nX-Big: ")
                for _ in range(800):
                    if stop.is_set() or not send_quietly(conn, b"a" * 65536):
                        break
    return attack


def _idle_sockets(server: LiveServer, count: int) -> Callable[[threading.Event], None]:
    def attack(stop: threading.Event) -> None:
        sockets = []
        try:
            for _ in range(count):
                sockets.append(connect(server))
            stop.wait(ATTACK_GUARD)
        finally:
            for conn in sockets:
                conn.close()
    return attack


def _slow_drip(server: LiveServer, count: int) -> Callable[[threading.Event], None]:
    def attack(stop: threading.Event) -> None:
        sockets = [connect(server) for _ in range(count)]
        try:
            for round_ in until_stopped(stop):  # one byte per 0.1 s, the head over and over
                stop.wait(0.1)
                for conn in sockets:
                    send_quietly(conn, DRIP[round_ % len(DRIP):][:1])
        finally:
            for conn in sockets:
                conn.close()
    return attack


@pytest.mark.parametrize("attack", ["huge headers", "idle sockets", "slow drip"])
def test_a_normal_get_is_answered_while_an_attack_runs(server, attack):
    make = {"huge headers": lambda: _huge_headers(server),
            "idle sockets": lambda: _idle_sockets(server, LIMITS.max_connections // 2),
            "slow drip": lambda: _slow_drip(server, LIMITS.max_connections // 2)}[attack]

    latencies = normal_gets_during(server, make())

    assert len(latencies) == 10
