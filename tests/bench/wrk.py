"""Load from ``wrk`` (a C load generator on its own core), one cell at a time.

A cell is one operation at one concurrency for a fixed duration. A small Lua script spreads the
requests over the table's models and prints wrk's summary as one machine-readable line.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.bench.processes import Cores, Served

INSTALL_HINT = ("wrk is not installed. It is a Debian/Ubuntu package: `sudo apt-get install wrk` "
                "(Homebrew: `brew install wrk`).")
REQUEST_TIMEOUT = "30s"  # a list of 100,000 models takes seconds per request before the work of issue 10

SCRIPT = """
local operation, size, token = %(operation)s, %(size)d, %(token)s
local counter = 0
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local name = string.format("model-%%06d", (counter * 7919) %% size)
  if operation == "list" then
    return wrk.format("GET", wrk.path .. "models/")
  elseif operation == "patch" then
    return wrk.format("PATCH", wrk.path .. "models/" .. name, nil,
                      string.format('{"summary": "bench %%d"}', counter))
  end
  return wrk.format("GET", wrk.path .. "models/" .. name)
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'WRK-RESULT {"requests": %%d, "duration_us": %%d, "bytes": %%d, "p50_us": %%d, "p99_us": %%d, ' ..
    '"non_2xx": %%d, "socket_errors": %%d}\\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99),
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
"""


@dataclass(frozen=True)
class Cell:
    operation: str  # get, patch or list
    concurrency: int


@dataclass(frozen=True)
class Result:
    requests: int
    per_second: float
    p50_ms: float
    p99_ms: float
    cpu_us: float  # server CPU time per completed request
    failures: int  # non-2xx answers and socket errors


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit(INSTALL_HINT)
    return path


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal for plain ASCII


def run(cell: Cell, served: Served, size: int, seconds: float, cores: Cores, token: str) -> Result:
    """One wrk run against ``served``; the server's CPU is counted until it is idle again."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(SCRIPT % {"operation": lua_string(cell.operation), "size": max(size, 1),
                               "token": lua_string(token)})
    command = cores.pinned("load", [
        wrk_path(), "-t1", f"-c{cell.concurrency}", f"-d{seconds:g}s", f"--timeout={REQUEST_TIMEOUT}",
        "-s", script.name, served.base_url + "/",
    ])
    served.wait_idle()
    cpu_before = served.cpu_seconds()
    try:
        finished = subprocess.run(command, check=False, capture_output=True, text=True,
                                  timeout=seconds + 120)
    finally:
        Path(script.name).unlink()
    if finished.returncode:
        raise RuntimeError(f"wrk failed: {finished.stderr or finished.stdout}")
    served.wait_idle()
    cpu = served.cpu_seconds() - cpu_before
    line = next(line for line in finished.stdout.splitlines() if line.startswith("WRK-RESULT "))
    summary = json.loads(line.removeprefix("WRK-RESULT "))
    requests = summary["requests"]
    return Result(
        requests=requests,
        per_second=requests / (summary["duration_us"] / 1e6),  # 0 when nothing came back in time
        p50_ms=summary["p50_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        cpu_us=cpu / requests * 1e6 if requests else float("nan"),
        failures=summary["non_2xx"] + summary["socket_errors"],
    )
