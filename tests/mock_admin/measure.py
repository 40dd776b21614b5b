"""Measurements of issue 7 (a script, not a test: nothing here asserts a time).

    python -m tests.mock_admin.measure sandboxes   # memory and first-use time of a sandbox, 100 and 10,000 models
    python -m tests.mock_admin.measure overhead    # GET and PATCH throughput with the journal and the rules table, and without
    python -m tests.mock_admin.measure isolation   # the 16-worker sandbox script, with its failure count

``overhead`` needs ``wrk`` (a Debian package); the mock runs in its own process on one core, wrk
on the other, and the variants are interleaved round by round.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

import httpx

from handlers.fixtures import DEFAULT_FIXTURES

AUTH = {"Authorization": "Bearer demo-admin-key"}
VARIANTS = ("controls on", "journal off", "controls off")


def fixtures_with(size: int, folder: Path) -> Path:
    """The shipped fixtures, with ``size`` generated models in tenant root."""
    shutil.copytree(DEFAULT_FIXTURES, folder)
    models = [{"tenant": "root", "id": f"00000000-0000-4000-8000-{i:012d}", "name": f"model-{i:06d}", "dtype": "openai",
               "configuration": {"api_key": "sk-measure-0000", "model": "gpt-4"}, "summary": "", "tags": "",
               "created_at": "2024-01-01T00:00:00Z"} for i in range(size)]
    (folder / "models.json").write_text(json.dumps(models))
    return folder


def build(fixtures: Path, variant: str = VARIANTS[0]):
    """The app; "journal off" has no journal, "controls off" neither the recording nor the steering middleware."""
    from handlers.app import create_app
    from handlers.mock_admin.journal import RecordingMiddleware
    from handlers.mock_admin.steering import SteeringMiddleware

    app = create_app(fixtures, journal_size=0 if variant != VARIANTS[0] else 1000)
    if variant == VARIANTS[2]:
        removed = (RecordingMiddleware, SteeringMiddleware)
        app.middleware.middlewares[:] = [m for m in app.middleware.middlewares if getattr(m, "func", m) not in removed]
    return app


def sandboxes() -> None:
    for size in (100, 10_000):
        with tempfile.TemporaryDirectory() as folder:
            app = build(fixtures_with(size, Path(folder) / "fixtures"))
        state = app.app.extensions["mock_controls"].state
        name = f"/models/model-{size // 2:06d}"

        async def timings(app=app, name=name) -> tuple[float, float]:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://m/api/v1", headers=AUTH) as http:
                for _ in range(20):
                    await http.get(name)
                steady, first = [], []
                for i in range(40):
                    start = time.perf_counter()
                    assert (await http.get(name)).status_code == 200
                    steady.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    assert (await http.get(name, headers={"X-Mock-Session": f"first-{i}"})).status_code == 200
                    first.append(time.perf_counter() - start)
                return statistics.median(steady) * 1e3, statistics.median(first) * 1e3

        steady_ms, first_ms = asyncio.run(timings())
        fork = []
        for i in range(40):
            start = time.perf_counter()
            state.sandboxes.service(f"fork-{i}")
            fork.append(time.perf_counter() - start)
        tracemalloc.start()
        before = tracemalloc.take_snapshot()
        kept = [state.sandboxes.service(f"mem-{i}") for i in range(50)]
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
        per_sandbox = sum(stat.size_diff for stat in after.compare_to(before, "filename")) / len(kept)
        print(f"{size:>6} models: first request in a new sandbox {first_ms:.2f} ms (median of 40; a request "
              f"in the default state {steady_ms:.2f} ms); the fork alone {statistics.median(fork) * 1e3:.2f} ms; "
              f"memory per sandbox {per_sandbox / 1024:.0f} KiB")


WRK_SCRIPT = """
local counter = 0
wrk.headers["Authorization"] = "Bearer demo-admin-key"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local name = string.format("model-%06d", (counter * 7919) % 100)
  if os.getenv("OPERATION") == "patch" then
    return wrk.format("PATCH", "/api/v1/models/" .. name, nil, string.format('{"summary": "m %d"}', counter))
  end
  return wrk.format("GET", "/api/v1/models/" .. name)
end
"""


def overhead(seconds: int, rounds: int, connections: int) -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    results: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        fixtures = fixtures_with(100, Path(folder) / "fixtures")
        script = Path(folder) / "load.lua"
        script.write_text(WRK_SCRIPT)
        for _ in range(rounds):
            for variant in VARIANTS:
                port = _free_port()
                server = subprocess.Popen(["taskset", "-c", "1", sys.executable, "-m", "tests.mock_admin.measure",
                                           "serve", "--variant", variant, "--port", str(port),
                                           "--fixtures", str(fixtures)])
                try:
                    _wait(port)
                    for operation in ("get", "patch"):
                        output = subprocess.run(
                            ["taskset", "-c", "0", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script),
                             f"http://127.0.0.1:{port}"], env={"OPERATION": operation, "PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True, check=True).stdout
                        rate = float(next(line for line in output.splitlines() if "Requests/sec" in line).split()[1])
                        results.setdefault((operation, variant), []).append(rate)
                finally:
                    server.terminate()
                    server.wait(timeout=30)
    print(f"req/s at c={connections}, median of {rounds} interleaved rounds of {seconds} s:")
    for operation in ("get", "patch"):
        base = statistics.median(results[(operation, VARIANTS[2])])
        cells = ", ".join(f"{variant} {statistics.median(results[(operation, variant)]):.0f} "
                          f"({statistics.median(results[(operation, variant)]) / base:.2f}x)" for variant in VARIANTS)
        print(f"  {operation.upper():5} {cells}")


def isolation(workers: int = 16) -> None:
    from handlers.app import create_app
    from tests.live import LiveServer

    server = LiveServer(create_app())
    failures, requests = [], [0]
    lock = threading.Lock()

    def worker(number: int) -> None:
        with httpx.Client(base_url=server.base_url, headers={**AUTH, "X-Mock-Session": f"w{number}"}, timeout=60) as http:
            script = [("POST", "/models/", {"name": "same", "dtype": "openai", "configuration": {"api_key": "sk-x"}}, 201),
                      ("PATCH", "/models/same", {"name": "same-renamed"}, 200),
                      ("GET", "/models/", None, 200), ("DELETE", "/models/same-renamed", None, 200),
                      ("GET", "/models/same-renamed", None, 404)]
            for _ in range(5):
                for method, path, body, expected in script:
                    response = http.request(method, path, json=body)
                    with lock:
                        requests[0] += 1
                        if response.status_code != expected:
                            failures.append(f"w{number} {method} {path}: {response.status_code}")
                        if method == "GET" and path == "/models/" and [m["name"] for m in response.json() if m["name"].startswith("same")] != ["same-renamed"]:
                            failures.append(f"w{number} saw {response.json()}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.stop()
    print(f"{workers} workers, each in its own sandbox, 5 rounds of create/rename/list/delete/get with the same "
          f"names: {requests[0]} requests, {len(failures)} failures {failures[:3]}")


def _free_port() -> int:
    from tests.live import free_port
    return free_port()


def _wait(port: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"the mock on port {port} did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["sandboxes", "overhead", "isolation", "serve"])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--variant", choices=VARIANTS, default=VARIANTS[0])
    parser.add_argument("--port", type=int)
    parser.add_argument("--fixtures", type=Path)
    args = parser.parse_args()
    if args.what == "serve":
        import uvicorn
        uvicorn.run(build(args.fixtures, args.variant), host="127.0.0.1", port=args.port, log_level="warning")
    elif args.what == "sandboxes":
        sandboxes()
    elif args.what == "overhead":
        overhead(args.seconds, args.rounds, args.connections)
    else:
        isolation()


if __name__ == "__main__":
    main()
