"""Measure the kit's peak memory and wall time against each hostile catalogue target (issue 8 §4).

    .venv/bin/python -m tests.measure_hostile_kit [--max-time S] [--no-schema] [target ...]

Runs the kit's command line one target at a time (so the figures are not shared with another
run), with its default timeout and examples, a second tenant, and ``--max-time`` (default 30,
as in the issue's report), and prints a Markdown table: exit code, peak RSS of the kit's
process, wall time, and the defects named. Not collected by pytest (no ``test_`` prefix).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.catalogue.entries.hostile import HOSTILE  # noqa: E402
from tests.conformance.hostile_kit import run_against  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-time", default="30")
    parser.add_argument("--no-schema", action="store_true")
    parser.add_argument("targets", nargs="*", default=list(HOSTILE))
    args = parser.parse_args()
    options = ["--other-tenant", "acme", "--max-time", args.max_time] + (["--no-schema"] if args.no_schema else [])
    folder = Path(tempfile.mkdtemp(prefix="hostile-measure-"))
    print(f"kit options: {' '.join(options)}\n")
    print("| target | exit | peak RSS (MiB) | wall time (s) | defects named |")
    print("|---|---|---|---|---|")
    for target in args.targets:
        run = run_against(target, folder, *options)
        print(f"| {target} | {run.exit_code} | {run.peak_rss_mib:.0f} | {run.seconds:.1f} | "
              f"{', '.join(sorted(run.defects)) or '-'} |", flush=True)


if __name__ == "__main__":
    main()
