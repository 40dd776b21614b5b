"""Measure the mock under the attacks of issue 8 §1-§2: memory and time at the body and header
limits, a normal request's latency during each connection attack, and the writes answered 5xx
that survived a restart (a full disk, from a 256 KiB tmpfs; needs root to mount it).

    .venv/bin/python -m tests.measure_hostile_mock [--no-disk]

Each attack runs against a fresh ``make serve``-like process on a free 127.0.0.1 port, and
every socket it opens is closed at its end. Prints a Markdown table. Not collected by pytest
(no ``test_`` prefix): the tests of the same bounds assert behaviour, this prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live import TOKEN, free_port, wait_until_answering  # noqa: E402

MB = 10**6
AUTH = f"Authorization: Bearer {TOKEN}\r\n"
SAMPLES = 50  # normal GETs timed during each connection attack


class Mock:
    """A mock process, its port and its peak RSS."""

    def __init__(self, *options: str) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "handlers.serve", "--port", str(self.port), "--quiet", *options],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until_answering(f"http://127.0.0.1:{self.port}/api/v1/models/types/", self.process)

    def peak_mib(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]) / 1024

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=30)

    def request(self, raw: bytes) -> tuple[int, float]:
        """Send `raw` on a new connection; the status answered and the seconds it took."""
        started = time.perf_counter()
        with self.connect() as sock:
            sock.sendall(raw)
            return _status(sock), time.perf_counter() - started

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _status(sock: socket.socket) -> int:
    head = b""
    while b"\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            return 0
        head += chunk
    return int(head.split(b" ", 2)[1])


def _get(port: int) -> bytes:
    return f"GET /api/v1/models/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{AUTH}Connection: close\r\n\r\n".encode()


def _patch(port: int, name: str, body: bytes, length: str | None = None) -> bytes:
    declared = f"Content-Length: {length or len(body)}\r\n"
    return (f"PATCH /api/v1/models/{name} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{AUTH}"
            f"Content-Type: application/json\r\n{declared}Connection: close\r\n\r\n").encode() + body


def body_limits() -> list[str]:
    rows = []
    mock = Mock()
    try:
        name = _listed(mock)[0]
        head = _patch(mock.port, name, b"", length=str(100 * MB))
        status, seconds = _send_then_stream(mock, head, lambda: iter([b"x" * MB] * 100))
        rows.append(f"| 100 MB body, Content-Length declared | {status} | {seconds:.3f} | {mock.peak_mib():.0f} |")
        head = (f"PATCH /api/v1/models/{name} HTTP/1.1\r\nHost: 127.0.0.1:{mock.port}\r\n{AUTH}"
                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode()
        chunk = f"{MB:x}\r\n".encode() + b"x" * MB + b"\r\n"
        status, seconds = _send_then_stream(mock, head, lambda: iter([chunk] * 100))
        rows.append(f"| 100 MB body, chunked | {status} | {seconds:.3f} | {mock.peak_mib():.0f} |")
        huge = (f"GET /api/v1/models/ HTTP/1.1\r\nHost: 127.0.0.1:{mock.port}\r\nX-Big: ").encode()
        status, seconds = _send_then_stream(mock, huge, lambda: iter([b"a" * MB] * 50))
        rows.append(f"| 50 MB header | {status} | {seconds:.3f} | {mock.peak_mib():.0f} |")
    finally:
        mock.stop()
    return rows


def _send_then_stream(mock: Mock, head: bytes, chunks: Callable[[], Iterator[bytes]]) -> tuple[int, float]:
    """Send `head`, then the chunks until the server answers or stops reading."""
    started = time.perf_counter()
    with mock.connect() as sock:
        sock.sendall(head)
        try:
            for chunk in chunks():
                sock.sendall(chunk)
        except OSError:
            pass  # the server answered and closed without reading the rest
        return _status(sock), time.perf_counter() - started


def _listed(mock: Mock) -> list[str]:
    """The names of the models `mock` lists, in its order."""
    with mock.connect() as sock:
        sock.sendall(_get(mock.port))
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return [model["name"] for model in json.loads(answer.split(b"\r\n\r\n", 1)[1])]


def connection_attacks() -> list[str]:
    attacks = {
        "a 50 MB header sent without end": _huge_header,
        "400 idle sockets": lambda mock, stop: _idle(mock, stop, 400, b""),
        "300 drips (a byte a second)": lambda mock, stop: _idle(mock, stop, 300, b"G"),
    }
    rows = []
    for label, attack in attacks.items():
        mock = Mock()
        stop = threading.Event()
        attacker = threading.Thread(target=attack, args=(mock, stop), daemon=True)
        try:
            attacker.start()
            time.sleep(1)  # the attack in place
            latencies = []
            for _ in range(SAMPLES):
                status, seconds = mock.request(_get(mock.port))
                assert status == 200, status
                latencies.append(seconds * 1000)
            rows.append(f"| {label} | median {statistics.median(latencies):.1f} ms, "
                        f"max {max(latencies):.1f} ms | {mock.peak_mib():.0f} |")
        finally:
            stop.set()
            attacker.join(30)
            mock.stop()
    return rows


def _huge_header(mock: Mock, stop: threading.Event) -> None:
    with mock.connect() as sock:
        sock.sendall(b"GET /api/v1/models/ HTTP/1.1\r\nX-Big: ")
        try:
            for _ in range(50):
                if stop.is_set():
                    return
                sock.sendall(b"a" * MB)
        except OSError:
            return
        stop.wait(30)


def _idle(mock: Mock, stop: threading.Event, count: int, drip: bytes) -> None:
    sockets = []
    try:
        for _ in range(count):
            sockets.append(mock.connect())
        while not stop.wait(1):
            for sock in sockets:
                if drip:
                    try:
                        sock.send(drip)
                    except OSError:
                        pass
    finally:
        for sock in sockets:
            sock.close()


def full_disk() -> str:
    """Creates until the disk is full, then kill -9 and a restart with room: how many creates
    answered 5xx the restarted mock lists (each create has a name of its own)."""
    folder = Path(tempfile.mkdtemp(prefix="full-disk-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], check=True)
    try:
        data = folder / "state.json"
        mock = Mock("--data", str(data))
        refused: set[str] = set()
        created: set[str] = set()
        answers: dict[int, int] = {}
        for number in range(1500):
            name = f"disk-{number}"
            body = json.dumps({"name": name, "dtype": "ollama", "summary": "x" * 200,
                               "configuration": {"base_url": "http://localhost:11434", "model": "llama3"}}).encode()
            head = (f"POST /api/v1/models/ HTTP/1.1\r\nHost: 127.0.0.1:{mock.port}\r\n{AUTH}"
                    f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n")
            status, _ = mock.request(head.encode() + body)
            answers[status] = answers.get(status, 0) + 1
            if status >= 500:
                refused.add(name)
            elif status == 201:
                created.add(name)
        os.kill(mock.process.pid, signal.SIGKILL)
        mock.process.wait()
        subprocess.run(["mount", "-o", "remount,size=8m", str(folder)], check=True)
        restarted = Mock("--data", str(data))
        try:
            listed = set(_listed(restarted))
        finally:
            restarted.stop()
        return (f"Creates on a 256 KiB tmpfs, answered: {dict(sorted(answers.items()))}; answered 5xx and "
                f"listed after kill -9 and a restart: {len(listed & refused)}; answered 201 and missing: "
                f"{len(created - listed)}")
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-disk", action="store_true", help="skip the full-disk run (it mounts a tmpfs)")
    args = parser.parse_args()
    print("| attack | status | seconds | server peak RSS (MiB) |\n|---|---|---|---|")
    print("\n".join(body_limits()))
    print("\n| connection attack | a normal GET meanwhile | server peak RSS (MiB) |\n|---|---|---|")
    print("\n".join(connection_attacks()))
    if not args.no_disk:
        print("\n" + full_disk())


if __name__ == "__main__":
    main()
