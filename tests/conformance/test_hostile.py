"""The kit against the catalogue's hostile targets (issue 8 §4): bounded memory, every request
ends, no crash, and the admin key appears in none of the kit's outputs.

The catalogue's own test proves the verdict and the defect named. Here each target is served
from this process and the kit runs as its own process through a wrapper that prints its peak
resident memory, so the bound is the kit's and nobody else's. Nothing here measures time: the
subprocess guard only stops a kit that would otherwise hang (what a missing deadline looks like).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.catalogue import CATALOGUE
from tests.catalogue.entries.hostile import HOSTILE
from tests.kit import KIT, NEVER_BINDS
from tests.live import ROOT, TOKEN, LiveServer

PEAK_RSS_BOUND_MIB = 300  # the kit once took 3.4 GB on the huge list and 4.8 GB on the bomb
KIT_BOUND_SECONDS = 240  # a hung kit, not a slow one
KIT_CRASH = {"UnexpectedAnswer"}
# Runs the kit's command line in this process, then prints the process's peak RSS (KiB).
MEASURED_KIT = (
    "import resource, sys\n"
    "from conformance.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(f'peak-rss-kib {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


@dataclass
class HostileRun:
    target: str
    exit_code: int
    stdout: str
    stderr: str
    report: dict
    junit: str

    @property
    def peak_rss_mib(self) -> float:
        line = next(line for line in self.stderr.splitlines() if line.startswith("peak-rss-kib "))
        return int(line.split()[1]) / 1024

    @property
    def failed(self) -> dict[str, dict]:
        return {result["rule"]: result for result in self.report.get("results", []) if result["outcome"] == "fail"}

    def summary(self) -> str:
        rules = "; ".join(f"{rule}: {result['defect']}" for rule, result in self.failed.items())
        return f"{self.target}: exit {self.exit_code}; {rules}\n{self.stdout[-3000:]}\n{self.stderr[-3000:]}"


def run_against(target: str, folder: Path) -> HostileRun:
    server = LiveServer(CATALOGUE[target].build())
    json_path, junit_path = folder / f"{target}.json", folder / f"{target}.xml"
    argv = [
        sys.executable, "-c", MEASURED_KIT,
        "--base-url", server.base_url, "--token", TOKEN, "--other-tenant", "acme", "--no-schema",
        "--examples", "2", "--seed", "7", "--timeout", "3", "--max-time", NEVER_BINDS,
        "--json", str(json_path), "--junit-xml", str(junit_path),
    ]
    try:
        finished = subprocess.run(argv, check=False, cwd=ROOT, capture_output=True, text=True, timeout=KIT_BOUND_SECONDS)
    finally:
        server.stop()
    report = json.loads(json_path.read_text(encoding="utf-8")) if json_path.exists() else {}
    junit = junit_path.read_text(encoding="utf-8") if junit_path.exists() else ""
    return HostileRun(target, finished.returncode, finished.stdout, finished.stderr, report, junit)


@pytest.fixture(scope="module")
def hostile_runs():
    """Every target's kit run, started together (each kit is its own process)."""
    folder = Path(tempfile.mkdtemp(prefix="hostile-kit-"))
    with ThreadPoolExecutor(4, thread_name_prefix="hostile") as pool:
        futures = {target: pool.submit(run_against, target, folder) for target in HOSTILE}
        yield {target: future.result() for target, future in futures.items()}


@pytest.mark.parametrize("target", HOSTILE)
def test_kit_fails_the_target_without_crashing(target, hostile_runs):
    run = hostile_runs[target]
    assert run.exit_code == 1, run.summary()
    assert "Traceback" not in run.stderr, run.summary()
    assert not {result["defect"] for result in run.failed.values()} & KIT_CRASH, run.summary()


@pytest.mark.parametrize("target", HOSTILE)
def test_kit_memory_stays_bounded(target, hostile_runs):
    run = hostile_runs[target]
    assert run.peak_rss_mib < PEAK_RSS_BOUND_MIB, run.summary()


@pytest.mark.parametrize("target", HOSTILE)
def test_admin_key_appears_in_no_output(target, hostile_runs):
    run = hostile_runs[target]
    assert run.report and run.junit, run.summary()
    for name, text in (("stdout", run.stdout), ("stderr", run.stderr), ("JSON", json.dumps(run.report)),
                       ("JUnit", run.junit)):
        assert TOKEN not in text, f"the admin key is in the {name} output\n{run.summary()}"


def test_echoed_and_malformed_headers_are_shown_masked(hostile_runs):
    """The echoing target puts the key into bodies and the auth rule's malformed-header case
    carries it: both reach the outputs, masked as $TOKEN."""
    run = hostile_runs["header_echo"]
    assert "auth" in run.failed, run.summary()
    assert 'Authorization: bearer $TOKEN' in run.stdout, run.summary()
    assert '$TOKEN' in run.junit and '$TOKEN' in json.dumps(run.report)


def test_max_time_ends_a_run_whose_requests_would_never_end():
    """With a per-request timeout far beyond any run, --max-time alone must end the run: the
    drip never finishes a request, so only the run's deadline can cut it (exit 2: not judged)."""
    server = LiveServer(CATALOGUE["drip_list"].build())
    try:
        finished = subprocess.run(
            [*KIT, "--base-url", server.base_url, "--token", TOKEN, "--other-tenant", "acme", "--no-schema",
             "--timeout", "100000", "--max-time", "5"],
            check=False, cwd=ROOT, capture_output=True, text=True, timeout=KIT_BOUND_SECONDS,
        )
    finally:
        server.stop()
    assert finished.returncode == 2, finished.stdout + finished.stderr
    assert "--max-time" in finished.stdout + finished.stderr
    assert "Traceback" not in finished.stderr
