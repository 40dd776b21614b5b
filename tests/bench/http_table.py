"""The HTTP table of ``make bench``: the mock served by uvicorn, loaded by wrk.

For each mode and size: the start-up time (process start to first answer), RSS after start and
at its peak, then every cell (GET one model, PATCH one model, list all; 1 and 16 connections):
requests per second, p50, p99 and the server's CPU time per request.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.bench import wrk
from tests.bench.processes import Cores, load_average
from tests.bench.targets import TOKEN, start_mock

OPERATIONS = ("get", "patch", "list")
CONCURRENCIES = (1, 16)
CELLS = [wrk.Cell(operation, concurrency) for operation in OPERATIONS for concurrency in CONCURRENCIES]
HEADER = (f"{'mode':<12} {'models':>7} {'op':<6} {'c':>3} | {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'CPU µs/req':>10} {'failed':>6}")


def row(mode: str, size: int, cell: wrk.Cell, result: wrk.Result) -> str:
    start = f"{mode:<12} {size:>7} {cell.operation:<6} {cell.concurrency:>3} | "
    if not result.requests:
        return start + "no answer within the cell's time"
    return start + (f"{result.per_second:>8.1f} {result.p50_ms:>8.2f} {result.p99_ms:>8.2f} "
                    f"{result.cpu_us:>10.0f} {result.failures:>6}")


def print_table(sizes: list[int], modes: list[str], seconds: float) -> None:
    wrk.wrk_path()
    cores = Cores.split()
    print(f"\nHTTP: wrk -t1 for {seconds:g} s per cell; wrk on core {cores.load}, server on core {cores.server}. "
          "CPU µs/req = the server's CPU time / requests answered. "
          f"Load average at start: {load_average()}.")
    footers = []
    print(HEADER, flush=True)
    for mode in modes:
        for size in sizes:
            with tempfile.TemporaryDirectory(prefix="bench-") as folder:
                served = start_mock(Path(folder), size, mode == "data", cores)
                try:
                    started_rss = served.rss_mib()
                    for cell in CELLS:
                        print(row(served.name, size, cell, wrk.run(cell, served, size, seconds, cores, TOKEN)),
                              flush=True)
                    footers.append(f"{served.name:<12} {size:>7} | start {served.start_seconds:6.2f} s, "
                                   f"{served.start_cpu_seconds:5.2f} s CPU | "
                                   f"RSS after start {started_rss:6.1f} MiB, peak {served.peak_rss_mib():6.1f} MiB"
                                   + "".join(f" | {note}" for note in served.notes))
                finally:
                    served.stop()
    print("\nStart-up (process start to first answer) and memory:")
    print("\n".join(footers))
