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


def start_mock(data: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "handlers.serve", "--port", str(port), "--data", str(data)],
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
