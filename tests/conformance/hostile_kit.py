"""The kit run as a measured process against one of the catalogue's hostile targets.

The target is served from the calling process; the kit runs as its own process through a
wrapper that prints its peak resident memory (the kernel's high-water mark of its memory map),
so the figure is the kit's alone. Shared by the hostile tests (bounds) and
``tests/measure_hostile_kit.py`` (figures).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.catalogue import CATALOGUE
from tests.catalogue.base import Server
from tests.live import ROOT, TOKEN, LiveServer

KIT_GUARD_SECONDS = 600  # a hung kit, not a slow one
# Runs the kit's command line in this process, then prints the process's peak RSS (KiB). The
# peak is the memory map's own high-water mark (VmHWM): getrusage's ru_maxrss keeps the RSS the
# process had before exec, i.e. that of the forking test process, which grows over a whole suite.
MEASURED_KIT = (
    "import re, sys\n"
    "from conformance.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "status = open('/proc/self/status', encoding='ascii').read()\n"
    "print('peak-rss-kib', re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1), file=sys.stderr)\n"
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
    seconds: float

    @property
    def peak_rss_mib(self) -> float:
        return peak_rss_mib(self.stderr)

    @property
    def failed(self) -> dict[str, dict]:
        return {result["rule"]: result for result in self.report.get("results", []) if result["outcome"] == "fail"}

    @property
    def defects(self) -> set[str]:
        return {finding["defect"] for result in self.failed.values() for finding in result["findings"]}

    def summary(self) -> str:
        rules = "; ".join(
            f"{rule}: {', '.join(finding['defect'] for finding in result['findings'])}"
            for rule, result in self.failed.items()
        )
        return f"{self.target}: exit {self.exit_code}; {rules}\n{self.stdout[-3000:]}\n{self.stderr[-3000:]}"


def measured_kit(*arguments: str) -> list[str]:
    """The command line running the kit with ``arguments`` and printing its peak RSS."""
    return [sys.executable, "-c", MEASURED_KIT, *arguments]


def peak_rss_mib(stderr: str) -> float:
    line = next(line for line in stderr.splitlines() if line.startswith("peak-rss-kib "))
    return int(line.split()[1]) / 1024


def run_against(target: str | Server, folder: Path, *options: str) -> HostileRun:
    """The kit against ``target`` (a server, or the name of a catalogue entry), with ``options``
    after the target's URL."""
    spec = CATALOGUE[target] if isinstance(target, str) else target
    server = LiveServer(spec.build())
    json_path, junit_path = folder / f"{spec.name}.json", folder / f"{spec.name}.xml"
    argv = measured_kit(
        "--base-url", server.base_url, "--token", TOKEN, *options,
        "--json", str(json_path), "--junit-xml", str(junit_path),
    )
    started = time.monotonic()
    try:
        finished = subprocess.run(argv, check=False, cwd=ROOT, capture_output=True, text=True, timeout=KIT_GUARD_SECONDS)
    finally:
        seconds = time.monotonic() - started
        server.stop()
    report = json.loads(json_path.read_text(encoding="utf-8")) if json_path.exists() else {}
    junit = junit_path.read_text(encoding="utf-8") if junit_path.exists() else ""
    return HostileRun(spec.name, finished.returncode, finished.stdout, finished.stderr, report, junit, seconds)
