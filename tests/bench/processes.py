"""A server under measurement: started on its own core, timed to its first answer, watched
through ``/proc`` for CPU time and memory, stopped by its PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
START_TIMEOUT = 120.0  # seconds a server may take to answer its first request
IDLE_TIMEOUT = 180.0  # seconds a server may take to finish what a load run left queued


@dataclass(frozen=True)
class Cores:
    """The load generator on one core, the server on another, as the issue's measurement did."""

    load: str | None
    server: str | None

    @classmethod
    def split(cls) -> Cores:
        available = sorted(os.sched_getaffinity(0))
        if len(available) < 2:
            return cls(None, None)
        return cls(str(available[0]), str(available[-1]))

    def pinned(self, role: str, command: list[str]) -> list[str]:
        core = self.load if role == "load" else self.server
        return command if core is None else ["taskset", "-c", core, *command]


def load_average() -> str:
    """The machine's 1-minute load average: a busy machine moves every figure."""
    return Path("/proc/loadavg").read_text().split()[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _tree(pid: int) -> list[int]:
    pids, pending = [], [pid]
    while pending:
        current = pending.pop()
        pids.append(current)
        pending += _children(current)
    return pids


def _status_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Served:
    """One running server: its base URL, process and start-up time."""

    name: str
    base_url: str
    process: subprocess.Popen
    start_seconds: float = 0.0
    start_cpu_seconds: float = 0.0
    log: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the server and every process it started."""
        total = 0
        for pid in _tree(self.pid):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / TICKS_PER_SECOND

    def rss_mib(self) -> float:
        return sum(_status_kib(pid, "VmRSS") for pid in _tree(self.pid)) / 1024

    def peak_rss_mib(self) -> float:
        return sum(_status_kib(pid, "VmHWM") for pid in _tree(self.pid)) / 1024

    def wait_idle(self) -> None:
        """Returns once the server has used no CPU for a while: what a load run queued is done."""
        deadline = time.monotonic() + IDLE_TIMEOUT
        last = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(0.3)
            now = self.cpu_seconds()
            if now - last < 2 / TICKS_PER_SECOND:
                return
            last = now
        self.notes.append("still busy after a load run")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start(name: str, command: list[str], base_url: str, probe_path: str, headers: dict[str, str],
          log: Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> Served:
    """Starts ``command`` in its own process group and waits for ``probe_path`` to answer 2xx;
    ``env`` is added to this process's environment."""
    began = time.perf_counter()
    with open(log, "wb") as handle:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, cwd=cwd,
                                   env={**os.environ, **(env or {})}, start_new_session=True)
    served = Served(name, base_url, process, log=log)
    deadline = time.monotonic() + START_TIMEOUT
    request = urllib.request.Request(base_url + probe_path, headers=headers)
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited during start-up; its output is in {log}:\n{log.read_text()[-2000:]}")
        if time.monotonic() > deadline:
            served.stop()
            raise RuntimeError(f"{name} did not answer within {START_TIMEOUT:.0f} s; its output is in {log}")
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                if 200 <= answer.status < 300:
                    break
        except (OSError, urllib.error.URLError):
            time.sleep(0.01)
    served.start_seconds = time.perf_counter() - began
    served.start_cpu_seconds = served.cpu_seconds()
    return served
