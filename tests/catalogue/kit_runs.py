"""Running the kit against catalogue servers: one kit process per server, a few at a time.

Kit runs are slow mostly because they wait (the timestamps rule sleeps for the clock to tick),
so the runs a session selected are started together, each kit in its own process against its
own server (served from this process), and a test waits only for the run it judges.

Nothing here depends on the machine's speed: the kit's time budget never binds (only
``--examples`` bounds its work), and the timeouts are hang guards.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.catalogue.base import Server
from tests.kit import KIT, KIT_GUARD, NEVER_BINDS
from tests.live import ROOT, TOKEN, LiveServer

# Each rule's explicit cases run whatever this is; two generated examples keep the property
# machinery in every run (every entry is named with 2 as with 5, at four fifths of the CPU).
KIT_EXAMPLES = 2
KIT_SEED = 20240315
OTHER_TENANT = "acme"
WORKERS = 4
# The kit's per-request timeout: a hang guard, so a loaded machine's slow answer is not "no answer".
REQUEST_GUARD = "60"


@dataclass
class KitRun:
    """The verdict of one kit run: its exit code and its JSON report."""

    target: str
    exit_code: int
    report: dict
    seconds: float
    output: str = ""

    def outcome(self, rule: str) -> str:
        return next(result["outcome"] for result in self.report["results"] if result["rule"] == rule)

    @property
    def failed(self) -> dict[str, dict]:
        return {result["rule"]: result for result in self.report["results"] if result["outcome"] == "fail"}

    def defects(self, rule: str) -> set[str]:
        """The defects the rule's findings name (none when it did not fail)."""
        return {finding["defect"] for finding in self.failed.get(rule, {}).get("findings", [])}

    def summary(self) -> str:
        lines = [f"{self.target}: exit {self.exit_code} in {self.seconds:.1f}s"]
        if not self.report["results"]:
            lines.append(self.output)
        for result in self.report["results"]:
            lines.append(f"  {result['rule']}: {result['outcome']} {result['reason']}")
            lines += [f"    {finding['defect']}: {finding['message'][:400]}" for finding in result["findings"]]
        return "\n".join(lines)


_BUILDING = threading.Lock()  # apps are built one at a time (Connexion builds are not thread-safe)


def run_kit(server: Server, folder: Path) -> KitRun:
    """Serve ``server`` and run the kit's command line against it; the JSON report is the verdict.

    The kit runs in its own process: Hypothesis and Schemathesis keep process-wide state, and
    two kits in one process interfere (measured: missed defects, import races).
    """
    with _BUILDING:
        live = LiveServer(server.build())
    report_path = folder / f"{server.name}.json"
    argv = [
        *KIT, "--base-url", live.base_url, "--token", TOKEN, "--other-tenant", OTHER_TENANT,
        "--examples", str(KIT_EXAMPLES), "--seed", str(KIT_SEED), "--max-time", str(NEVER_BINDS),
        "--timeout", REQUEST_GUARD, "--json", str(report_path),
    ]
    if not server.schema:
        argv.append("--no-schema")
    started = time.monotonic()
    try:
        finished = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=KIT_GUARD)
    finally:
        live.stop()
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else {"results": []}
    output = finished.stdout[-4000:] + finished.stderr[-4000:]
    return KitRun(server.name, finished.returncode, report, time.monotonic() - started, output)


class KitRuns:
    """Runs the kit against each of ``servers``, ``WORKERS`` at a time; ``get`` waits for one.

    Runs with the Schemathesis phase take longest, so they start first and do not finish last.
    """

    def __init__(self, servers: Iterable[Server]) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="catalogue-kit-"))
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="kit")
        self._futures: dict[str, Future] = {
            server.name: self._pool.submit(run_kit, server, self.folder)
            for server in sorted(servers, key=lambda server: not server.schema)
        }

    def get(self, server: Server) -> KitRun:
        return self._futures[server.name].result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)
