"""``python -m tests.bench.ceiling``: what the Connexion-on-Flask design costs by itself.

GET and PATCH of one model, interleaved rounds, against: the mock; the same app with only the
middleware Connexion itself runs; a bare Flask handler behind Connexion's default middleware;
the same handler behind a2wsgi alone. CPU per request is the comparable figure on a shared
machine; the last column is each variant's CPU relative to the whole mock.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from tests.bench import wrk
from tests.bench.population import write_fixtures
from tests.bench.processes import Cores, Served, free_port, load_average, start
from tests.bench.targets import PROJECT, TOKEN

VARIANTS = {
    "mock": "the mock, as make serve runs it",
    "mock_lean": "the same app, only Connexion's own middleware",
    "flask_through_connexion": "a bare Flask handler behind Connexion's middleware",
    "flask_through_a2wsgi": "a bare Flask handler behind a2wsgi alone",
}
CELLS = [wrk.Cell("get", 16), wrk.Cell("patch", 16), wrk.Cell("get", 1), wrk.Cell("patch", 1)]


def start_variant(name: str, fixtures: Path, workdir: Path, cores: Cores) -> Served:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", f"tests.bench.ceiling_apps:{name}", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    os.environ["BENCH_FIXTURES"] = str(fixtures)
    return start(name, cores.pinned("server", command), f"http://127.0.0.1:{port}/api/v1",
                 "/models/model-000001", {"Authorization": f"Bearer {TOKEN}"}, workdir / f"{name}.log",
                 cwd=PROJECT)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.ceiling", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args()
    wrk.wrk_path()
    cores = Cores.split()
    size = 100
    with tempfile.TemporaryDirectory(prefix="bench-ceiling-") as folder:
        workdir = Path(folder)
        fixtures = write_fixtures(workdir / "fixtures", size)
        servers: list[Served] = []
        try:
            for name in VARIANTS:
                servers.append(start_variant(name, fixtures, workdir, cores))
            print(f"wrk -t1, {args.seconds:g} s per cell, {args.rounds} interleaved rounds; "
                  f"load average {load_average()}.", flush=True)
            runs: dict[tuple[str, wrk.Cell], list[wrk.Result]] = {}
            for _ in range(args.rounds):
                for cell in CELLS:
                    for served in servers:
                        result = wrk.run(cell, served, size, args.seconds, cores, TOKEN)
                        runs.setdefault((served.name, cell), []).append(result)
        finally:
            for served in servers:
                served.stop()

    def median(name: str, cell: wrk.Cell, field: str) -> float:
        return statistics.median(getattr(result, field) for result in runs[(name, cell)])

    print("\n| variant | GET c=16 req/s | PATCH c=16 req/s | CPU µs GET / PATCH | PATCH / GET CPU "
          "| CPU vs the mock, GET / PATCH | p99 c=1 GET / PATCH |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    get16, patch16, get1, patch1 = CELLS
    for name, meaning in VARIANTS.items():
        get_cpu, patch_cpu = median(name, get16, "cpu_us"), median(name, patch16, "cpu_us")
        print(f"| {meaning} | {median(name, get16, 'per_second'):,.0f} | {median(name, patch16, 'per_second'):,.0f} "
              f"| {get_cpu:,.0f} / {patch_cpu:,.0f} | {patch_cpu / get_cpu:.2f}× "
              f"| {get_cpu / median('mock', get16, 'cpu_us'):.2f} / {patch_cpu / median('mock', patch16, 'cpu_us'):.2f} "
              f"| {median(name, get1, 'p99_ms'):.1f} / {median(name, patch1, 'p99_ms'):.1f} ms |")
    failed = sum(result.failures for results in runs.values() for result in results)
    if failed:
        print(f"\n{failed} requests failed (non-2xx or socket errors): the figures above are not comparable.")


if __name__ == "__main__":
    main()
