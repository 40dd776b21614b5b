"""Measure what plain Schemathesis and the kit each see on every catalogue entry (the README table).

    .venv/bin/python -m tests.measure_plain_schemathesis [--max-examples N] [--seed S] [--workers W] [entry ...]

For the unmodified mock (the baseline row) and every entry: serve it (response validation
off, like the tests), run

    schemathesis run openapi.yaml --url BASE --checks all -H 'Authorization: Bearer demo-admin-key'

(default budget unless ``--max-examples``), and the kit with its default budget and a second
tenant. Plain Schemathesis "caught" an entry when it reports a failure (operation and check)
that it does not report on the baseline mock with the same seed: some checks fail even on a
correct server (for example ST202, an unknown ``dtype`` answered 400). Prints a Markdown table.
Not collected by pytest (no ``test_`` prefix); it takes a few minutes.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.catalogue import CATALOGUE, build  # noqa: E402
from tests.live import TOKEN, LiveServer  # noqa: E402

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
_HEADER = re.compile(r"^_{3,} (.+?) _{3,}$")
_FAILURE = re.compile(r"^- (.+?)\s*$")
_BUILDING = threading.Lock()


@dataclass
class Measurement:
    target: str
    schemathesis_exit: int = 0
    schemathesis_failures: set[tuple[str, str]] = field(default_factory=set)
    schemathesis_seconds: float = 0.0
    kit_exit: int = 0
    kit_failed: dict[str, str] = field(default_factory=dict)
    kit_seconds: float = 0.0


def schemathesis_failures(output: str) -> set[tuple[str, str]]:
    """(operation, check) pairs from the FAILURES section of Schemathesis' output."""
    found: set[tuple[str, str]] = set()
    operation = None
    in_failures = False
    for line in output.splitlines():
        if "FAILURES" in line and line.startswith("="):
            in_failures = True
            continue
        if in_failures and line.startswith("=") and "SUMMARY" in line:
            break
        if not in_failures:
            continue
        header = _HEADER.match(line)
        if header:
            operation = header.group(1)
            continue
        failure = _FAILURE.match(line)
        if failure and operation:
            found.add((operation, failure.group(1)))
    return found


def measure(target: str, factory, *, seed: int, max_examples: int | None, folder: Path) -> Measurement:
    result = Measurement(target)
    with _BUILDING:
        server = LiveServer(factory())
    try:
        argv = [
            SCHEMATHESIS, "run", str(ROOT / "openapi.yaml"), "--url", server.base_url, "--checks", "all",
            "-H", f"Authorization: Bearer {TOKEN}", "--seed", str(seed), "--no-color",
        ]
        if max_examples is not None:
            argv += ["--max-examples", str(max_examples)]
        started = time.monotonic()
        done = subprocess.run(argv, cwd=folder, capture_output=True, text=True, timeout=900)
        result.schemathesis_seconds = time.monotonic() - started
        result.schemathesis_exit = done.returncode
        result.schemathesis_failures = schemathesis_failures(done.stdout)

        report = folder / f"kit-{target}.json"
        argv = [
            sys.executable, "-m", "conformance", "--base-url", server.base_url, "--token", TOKEN,
            "--other-tenant", "acme", "--seed", str(seed), "--json", str(report),
        ]
        started = time.monotonic()
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=900)
        result.kit_seconds = time.monotonic() - started
        result.kit_exit = done.returncode
        if report.exists():
            data = json.loads(report.read_text(encoding="utf-8"))
            result.kit_failed = {r["rule"]: r["defect"] for r in data["results"] if r["outcome"] == "fail"}
    finally:
        server.stop()
    return result


def _short(failures: set[tuple[str, str]]) -> str:
    return ", ".join(sorted({check for _, check in failures}))


def table(baseline: Measurement, rows: list[tuple[object, Measurement]]) -> str:
    lines = [
        "| Entry | Defect | Kit rule (expected) | Kit failed rules (defect) | Plain `schemathesis run --checks all` |",
        "|---|---|---|---|---|",
    ]
    base_kit = ", ".join(f"{rule} ({defect})" for rule, defect in baseline.kit_failed.items()) or "none (exit 0)"
    lines.append(
        f"| *unmodified mock (baseline)* | — | — | {base_kit} | exit {baseline.schemathesis_exit}: "
        f"{_short(baseline.schemathesis_failures) or 'no failures'} (not counted as catches) |"
    )
    for entry, row in rows:
        new = row.schemathesis_failures - baseline.schemathesis_failures
        caught = f"**caught**: {_short(new)}" if new else "not caught"
        kit = ", ".join(f"{rule} ({defect})" for rule, defect in row.kit_failed.items()) or f"none (exit {row.kit_exit})"
        verdict = "" if entry.rule in row.kit_failed else " — **MISSED**"
        lines.append(f"| `{entry.name}` | {entry.defect} | {entry.rule} | {kit}{verdict} | {caught} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("entries", nargs="*", help="entry names (default: all)")
    parser.add_argument("--max-examples", type=int, help="Schemathesis --max-examples (default: its own)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args(argv)
    entries = [CATALOGUE[name] for name in args.entries] if args.entries else list(CATALOGUE)
    folder = Path(tempfile.mkdtemp(prefix="measure-"))
    started = time.monotonic()
    with ThreadPoolExecutor(args.workers) as pool:
        jobs = [("mock", build)] + [(entry.name, entry.build) for entry in entries]
        futures = [
            pool.submit(measure, name, factory, seed=args.seed, max_examples=args.max_examples, folder=folder)
            for name, factory in jobs
        ]
        results = [future.result() for future in futures]
    baseline, measured = results[0], results[1:]
    print(table(baseline, list(zip(entries, measured, strict=True))))
    print()
    budget = f"--max-examples {args.max_examples}" if args.max_examples else "default budget"
    print(
        f"Plain Schemathesis v4 CLI, {budget}, --seed {args.seed}; kit with default options, --other-tenant acme, "
        f"--seed {args.seed}. Schemathesis per run: "
        f"{min(r.schemathesis_seconds for r in results):.0f}-{max(r.schemathesis_seconds for r in results):.0f}s; "
        f"kit per run: {min(r.kit_seconds for r in results):.0f}-{max(r.kit_seconds for r in results):.0f}s; "
        f"total {time.monotonic() - started:.0f}s with {args.workers} workers."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
