"""``make bench-peers``: the mock side by side with Stoplight Prism, the mock most frontend
teams would pick instead.

Three servers run at once, each pinned to the server core: the mock in memory, the mock with
``DATA=``, and Prism's static mock of the same contract at its default logging (installed with
npm into a temporary folder). The cells are interleaved (round after round, each cell on each
server in turn) so that noise on a shared machine falls on all three alike; each figure is the
median over the rounds. PATCH ÷ GET, a ratio within one server, is also taken from pairs of
short cells run back to back, since cells half a minute apart can meet a different machine. The
output ends with the ratios issue 10 sets targets for.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from tests.bench import wrk
from tests.bench.http_table import CELLS
from tests.bench.processes import Cores, Served, load_average
from tests.bench.targets import TOKEN, install_prism, start_mock, start_prism

COLUMNS = [("get", 1), ("get", 16), ("patch", 1), ("patch", 16), ("list", 1), ("list", 16)]


def median_result(results: list[wrk.Result]) -> wrk.Result:
    return wrk.Result(
        requests=sum(result.requests for result in results),
        per_second=statistics.median(result.per_second for result in results),
        p50_ms=statistics.median(result.p50_ms for result in results),
        p99_ms=statistics.median(result.p99_ms for result in results),
        cpu_us=statistics.median(result.cpu_us for result in results),
        failures=sum(result.failures for result in results),
    )


Runs = dict[tuple[str, wrk.Cell], list[wrk.Result]]  # (server, cell) → one result per round


def measure(servers: list[Served], size: int, rounds: int, seconds: float, cores: Cores) -> Runs:
    runs: Runs = {}
    for number in range(1, rounds + 1):
        print(f"round {number} of {rounds} ...", flush=True)
        for cell in CELLS:
            for served in servers:
                runs.setdefault((served.name, cell), []).append(wrk.run(cell, served, size, seconds, cores, TOKEN))
    return runs


def patch_over_get(served: Served, size: int, pairs: int, seconds: float, cores: Cores) -> list[float]:
    """PATCH ÷ GET of CPU per request at c=16, from pairs of short cells run back to back (which goes
    first alternates): the two cells of a pair see the same machine, where cells half a minute apart
    in the rounds above may not."""
    ratios = []
    for number in range(pairs):
        operations = ("get", "patch") if number % 2 == 0 else ("patch", "get")
        cpu = {operation: wrk.run(wrk.Cell(operation, 16), served, size, seconds, cores, TOKEN).cpu_us
               for operation in operations}
        ratios.append(cpu["patch"] / cpu["get"])
    return sorted(ratios)


def print_tables(servers: list[Served], runs: Runs, paired: list[float]) -> None:
    medians = {key: median_result(results) for key, results in runs.items()}

    def cell(name: str, operation: str, concurrency: int) -> wrk.Result:
        return medians[(name, wrk.Cell(operation, concurrency))]

    print("\n| server | " + " | ".join(f"{op.upper() if op != 'list' else 'list'} c={c}" for op, c in COLUMNS)
          + " | CPU µs per request, GET / PATCH / list | start-up | failed |")
    print("|---|" + "---:|" * (len(COLUMNS) + 3))
    for served in servers:
        figures = []
        for operation, concurrency in COLUMNS:
            result = cell(served.name, operation, concurrency)
            figures.append(f"{result.per_second:,.0f}" + (f", p99 {result.p99_ms:.1f} ms" if concurrency == 1 else ""))
        cpu = " / ".join(f"{cell(served.name, op, 16).cpu_us:,.0f}" for op in ("get", "patch", "list"))
        failed = sum(cell(served.name, op, c).failures for op, c in COLUMNS)
        print(f"| {served.name} | " + " | ".join(figures) + f" | {cpu} | {served.start_seconds:.2f} s | {failed} |")

    memory, data, prism = (served.name for served in servers)

    def ratio(a: str, b: str, operation: str, concurrency: int) -> float:
        return cell(a, operation, concurrency).per_second / cell(b, operation, concurrency).per_second

    patch_cpu = cell(memory, "patch", 16).cpu_us / cell(memory, "get", 16).cpu_us
    per_round = sorted(patch.cpu_us / get.cpu_us for patch, get in zip(
        runs[(memory, wrk.Cell("patch", 16))], runs[(memory, wrk.Cell("get", 16))], strict=True))
    paired_median = statistics.median(paired)
    print("\n| ratio | measured | issue 10 target |")
    print("|---|---:|---:|")
    print(f"| mock memory / Prism, GET c=16 | {ratio(memory, prism, 'get', 16):.2f}× | ≥ 0.8× |")
    print(f"| mock memory / Prism, PATCH c=16 | {ratio(memory, prism, 'patch', 16):.2f}× | ≥ 0.7× |")
    print(f"| mock PATCH / GET, CPU per request (memory, c=16), {len(paired)} pairs of cells back to back: "
          f"median (from–to) | {paired_median:.2f}× ({paired[0]:.2f}–{paired[-1]:.2f}) | ≤ 1.3× |")
    print(f"| the same from the rounds' medians (each round's: {', '.join(f'{ratio:.2f}' for ratio in per_round)}) "
          f"| {patch_cpu:.2f}× | |")
    print(f"| mock memory / DATA=, PATCH c=16 throughput | {1 / ratio(data, memory, 'patch', 16):.2f}× | ≤ 1.3× |")
    print(f"| mock memory p99, GET c=1 / PATCH c=1 | {cell(memory, 'get', 1).p99_ms:.1f} / "
          f"{cell(memory, 'patch', 1).p99_ms:.1f} ms | ≤ 2 ms (idle machine) |")
    print(f"| mock DATA= / Prism, GET c=16 / PATCH c=16 | {ratio(data, prism, 'get', 16):.2f}× / "
          f"{ratio(data, prism, 'patch', 16):.2f}× | |")

    def by_cpu(a: str, b: str, operation: str) -> float:
        return cell(b, operation, 16).cpu_us / cell(a, operation, 16).cpu_us

    print(f"| the same by CPU per request (Prism's / the mock's), GET / PATCH: memory | "
          f"{by_cpu(memory, prism, 'get'):.2f}× / {by_cpu(memory, prism, 'patch'):.2f}× | ≥ 0.8× / ≥ 0.7× |")
    print(f"| the same by CPU per request: DATA= | {by_cpu(data, prism, 'get'):.2f}× / "
          f"{by_cpu(data, prism, 'patch'):.2f}× | |")
    print(f"| mock DATA= / memory, PATCH CPU per request | {1 / by_cpu(data, memory, 'patch'):.2f}× | ≤ 1.3× |")
    print("\nOn a busy machine, req/s depends on what else shares the server core; CPU per request does "
          "not, and on an idle core it sets the req/s at c=16.")
    print("\nPrism's list is its one-item example; the mock's is every model it holds.")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.peers", description=__doc__)
    parser.add_argument("--size", type=int, default=100, help="models the mock holds")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0, help="wrk duration per cell")
    parser.add_argument("--pairs", type=int, default=12, help="PATCH ÷ GET: pairs of 2 s cells back to back")
    args = parser.parse_args()
    wrk.wrk_path()
    cores = Cores.split()
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as folder:
        workdir = Path(folder)
        prism = install_prism(workdir / "prism")
        servers: list[Served] = []
        try:
            servers.append(start_mock(workdir, args.size, False, cores))
            servers.append(start_mock(workdir, args.size, True, cores))
            servers.append(start_prism(prism, workdir, cores))
            print(f"wrk -t1, {args.seconds:g} s per cell, {args.rounds} interleaved rounds; wrk on core "
                  f"{cores.load}, servers on core {cores.server}; the mock holds {args.size} models; load average {load_average()}.", flush=True)
            runs = measure(servers, args.size, args.rounds, args.seconds, cores)
            print(f"PATCH ÷ GET: {args.pairs} pairs of cells back to back on {servers[0].name} ...", flush=True)
            print_tables(servers, runs, patch_over_get(servers[0], args.size, args.pairs, 2.0, cores))
        finally:
            for served in servers:
                served.stop()


if __name__ == "__main__":
    main()
