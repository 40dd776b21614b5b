"""``python -m tests.bench.profile``: where the served mock's time goes, by layer.

Starts the mock on its core, loads it with wrk on the other and samples it with py-spy
(``--gil``: only the thread holding the GIL, the one doing Python work). Each sample is given to
the innermost frame that belongs to a named layer (stdlib helpers such as ``re`` or ``inspect``
count for their caller), and a layer's total share counts the samples it appears in at all.
py-spy is not a dependency of the project: ``.venv/bin/python -m pip install py-spy``.
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from tests.bench import wrk
from tests.bench.processes import Cores
from tests.bench.targets import TOKEN, start_mock

PY_SPY_HINT = "py-spy is not installed: `.venv/bin/python -m pip install py-spy` (a PyPI package)."

# (layer, pattern on a frame's file); the first matching pattern names the frame's layer.
LAYERS = [
    ("project (handlers/)", r"(^|/)handlers/"),
    ("thread hop (a2wsgi, futures, threading)", r"(^|/)(a2wsgi/|concurrent/futures/|threading\.py|queue\.py)"),
    ("connexion", r"(^|/)connexion/"),
    ("jsonschema", r"(^|/)(jsonschema|jsonschema_specifications|referencing|rpds)/"),
    ("flask", r"(^|/)flask/"),
    ("werkzeug", r"(^|/)werkzeug/"),
    ("starlette", r"(^|/)starlette/"),
    ("uvicorn, httptools, event loop", r"(^|/)(uvicorn|httptools|asyncio|uvloop)/"),
    ("tinydb", r"(^|/)tinydb/"),
    ("copy.deepcopy", r"(^|/)copy\.py"),
    ("json", r"(^|/)json/"),
]
FRAME_FILE = re.compile(r"\(([^():]+)(?::\d+)?\)$")


def layer_of(frame: str) -> str | None:
    found = FRAME_FILE.search(frame)
    path = found.group(1) if found else frame
    return next((name for name, pattern in LAYERS if re.search(pattern, path)), None)


def shares(collapsed: str) -> tuple[int, dict[str, float], dict[str, float]]:
    """Own and total share of each layer in py-spy's collapsed stacks."""
    own: collections.Counter = collections.Counter()
    total: collections.Counter = collections.Counter()
    samples = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        weight = int(count)
        samples += weight
        layers = [layer_of(frame) for frame in stack.split(";")]
        named = [layer for layer in layers if layer is not None]
        own[named[-1] if named else "other (stdlib, interpreter)"] += weight
        for layer in set(named):
            total[layer] += weight
    scale = 100 / samples if samples else 0
    return samples, {k: v * scale for k, v in own.items()}, {k: v * scale for k, v in total.items()}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.profile", description=__doc__)
    parser.add_argument("--operation", choices=("get", "patch", "list"), default="patch")
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--data", action="store_true", help="the mock with a DATA= file")
    parser.add_argument("--raw", type=Path, help="also keep py-spy's collapsed stacks in this file")
    args = parser.parse_args()
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(py_spy).exists():
        raise SystemExit(PY_SPY_HINT)
    cores = Cores.split()
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as folder:
        served = start_mock(Path(folder), args.size, args.data, cores)
        output = Path(folder) / "profile.txt"
        try:
            sampler = subprocess.Popen(cores.pinned("load", [
                py_spy, "record", "--gil", "--rate", "250", "--format", "raw", "--nonblocking",
                "--duration", str(int(args.seconds)), "--output", str(output), "--pid", str(served.pid),
            ]), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            load = threading.Thread(target=wrk.run, args=(
                wrk.Cell(args.operation, args.concurrency), served, args.size, args.seconds, cores, TOKEN))
            load.start()
            load.join()
            _, problems = sampler.communicate(timeout=60)
            if sampler.returncode:
                raise SystemExit(f"py-spy failed: {problems.decode(errors='replace')}")
        finally:
            served.stop()
        collapsed = output.read_text()
    if args.raw:
        args.raw.write_text(collapsed)
    samples, own, total = shares(collapsed)
    print(f"{args.operation.upper()} c={args.concurrency}, {args.size} models, {samples} samples with the GIL")
    print(f"{'layer':<42} {'own %':>6} {'total %':>8}")
    for layer, share in sorted(own.items(), key=lambda item: -item[1]):
        print(f"{layer:<42} {share:>6.1f} {total.get(layer, 0):>8.1f}")


if __name__ == "__main__":
    main()
