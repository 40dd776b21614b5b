"""A mock killed mid-write (SIGKILL) restarts from its data file with every acknowledged write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from tests.live import ROOT, TOKEN, free_port, wait_until_answering

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ACKNOWLEDGED_BEFORE_KILL = 150


# ``make serve``'s command with files that stop growing at a size limit (a write there fails with EFBIG)
_SERVE_WITH_FILE_SIZE_LIMIT = (
    "import resource, runpy, signal, sys; limit = int(sys.argv.pop(1)); "
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN); resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)); "
    "runpy.run_module('handlers.serve', run_name='__main__')"
)


def start_mock(data: Path, file_size_limit: int | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    serve = ["-m", "handlers.serve"] if file_size_limit is None else ["-c", _SERVE_WITH_FILE_SIZE_LIMIT, str(file_size_limit)]
    process = subprocess.Popen(
        [sys.executable, *serve, "--port", str(port), "--data", str(data)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    assert wait_until_answering(f"{base}/models/types/", process, AUTH).status_code == 200
    return process, base


def test_killed_server_keeps_every_acknowledged_write(tmp_path):
    data = tmp_path / "state.json"
    process, base = start_mock(data)
    acknowledged: dict[str, str] = {}
    stop = threading.Event()

    def write(worker: int) -> None:
        with httpx.Client(base_url=base, headers=AUTH, timeout=60) as http:
            for i in range(10_000):
                if stop.is_set():
                    return
                name = f"durable-{worker}-{i}"
                body = {"name": name, "dtype": "openai", "configuration": {"api_key": "sk-durable-1234"}}
                try:
                    if http.post("/models/", json=body).status_code != 201:
                        continue
                    acknowledged[name] = ""
                    if http.patch(f"/models/{name}", json={"summary": f"s{i}"}).status_code == 200:
                        acknowledged[name] = f"s{i}"
                except httpx.TransportError:
                    return

    writers = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for writer in writers:
        writer.start()
    # Kill only once enough writes were acknowledged, however long that takes on this machine.
    while len(acknowledged) < ACKNOWLEDGED_BEFORE_KILL and any(writer.is_alive() for writer in writers):
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    stop.set()
    for writer in writers:
        writer.join()

    process, base = start_mock(data)
    try:
        listed = httpx.get(f"{base}/models/", headers=AUTH, timeout=60).json()
    finally:
        process.terminate()
        process.wait()
    names = [model["name"] for model in listed]
    assert len(names) == len(set(names))
    summaries = {model["name"]: model["summary"] for model in listed}
    assert len(acknowledged) >= ACKNOWLEDGED_BEFORE_KILL
    for name, summary in acknowledged.items():
        assert name in summaries, f"the acknowledged create of {name!r} was lost"
        if summary:  # a PATCH whose answer never came may or may not have landed
            assert summaries[name] == summary, f"the acknowledged PATCH of {name!r} was lost"


FILE_SIZE_LIMIT = 64 * 1024  # the seeded snapshot fits; the journal soon outgrows it


def test_writes_the_disk_refuses_are_5xx_and_never_applied(tmp_path):
    """A real refusal (the file size limit), not an injected one: no write answered 5xx is there after a restart."""
    data = tmp_path / "state.json"
    process, base = start_mock(data, file_size_limit=FILE_SIZE_LIMIT)
    answered: dict[str, int] = {}
    try:
        with httpx.Client(base_url=base, headers=AUTH, timeout=60) as http:
            for n in range(1000):
                name = f"full-{n:04d}"
                body = {"name": name, "dtype": "ollama", "configuration": {"model": "m" * (n % 50)}}
                answered[name] = http.post("/models/", json=body).status_code
                if list(answered.values())[-20:] == [503] * 20:
                    break
            shown = {model["name"] for model in http.get("/models/").json()}
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    process, base = start_mock(data)
    try:
        after_restart = {model["name"] for model in httpx.get(f"{base}/models/", headers=AUTH, timeout=60).json()}
    finally:
        process.terminate()
        process.wait()

    acknowledged = {name for name, status in answered.items() if status == 201}
    refused = {name for name, status in answered.items() if status != 201}
    assert acknowledged and refused, answered
    assert {answered[name] for name in refused} == {503}
    assert acknowledged <= shown and not refused & shown
    assert acknowledged <= after_restart and not refused & after_restart
