"""The servers the HTTP benchmarks start: the mock (in memory or with ``DATA=``) and Prism."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from handlers import fixture_cache
from tests.bench.population import write_fixtures
from tests.bench.processes import Cores, Served, free_port, start
from tests.live import TOKEN

PROJECT = Path(__file__).resolve().parents[2]
CONTRACT = PROJECT / "openapi.yaml"
PRISM_PACKAGE = "@stoplight/prism-cli"
NPM_HINT = ("make bench-peers installs Stoplight Prism with npm into a temporary folder, and npm was not "
            "found. Install Node.js with npm (Debian/Ubuntu: `sudo apt-get install nodejs npm`; or "
            "https://nodejs.org), then run it again.")


def start_mock(workdir: Path, size: int, data: bool, cores: Cores) -> Served:
    """The mock on ``size`` bench models, in memory or keeping its state in a fresh data file.

    Started twice: the first start checks the fixtures and writes their cache (in ``workdir``,
    gone with it), the one measured reads them back from it, as every start after a user's first
    does. The first start's figures are kept in the notes."""
    fixtures = write_fixtures(workdir / f"fixtures-{size}", size)
    first = _start_mock_on(workdir, fixtures, size, data, cores)
    first.stop()
    served = _start_mock_on(workdir, fixtures, size, data, cores)
    served.notes.append(f"first start (checks the fixtures, writes their cache) {first.start_seconds:.2f} s, "
                        f"{first.start_cpu_seconds:.2f} s CPU")
    return served


def _start_mock_on(workdir: Path, fixtures: Path, size: int, data: bool, cores: Cores) -> Served:
    port = free_port()
    command = [sys.executable, "-m", "handlers.serve", "--host", "127.0.0.1", "--port", str(port),
               "--fixtures", str(fixtures)]
    if data:
        state = workdir / f"state-{size}-{port}.json"
        command += ["--data", str(state)]
    name = "mock DATA=" if data else "mock memory"
    return start(name, cores.pinned("server", command), f"http://127.0.0.1:{port}/api/v1",
                 "/models/types/", {"Authorization": f"Bearer {TOKEN}"},
                 workdir / f"{name.replace(' ', '-')}-{size}.log", cwd=PROJECT,
                 env={fixture_cache.ENVIRONMENT: str(workdir / "fixtures-cache")})


def install_prism(folder: Path) -> Path:
    """Prism's npm package in ``folder`` (never globally); the path of its command."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit(NPM_HINT)
    print(f"installing {PRISM_PACKAGE} with npm into {folder} ...", flush=True)
    subprocess.run([npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund", "--loglevel=error",
                    PRISM_PACKAGE], check=True, stdout=subprocess.DEVNULL, timeout=600)
    return folder / "node_modules" / ".bin" / "prism"


def start_prism(prism: Path, workdir: Path, cores: Cores) -> Served:
    """Prism's static mock of the contract at its default logging (it serves paths without
    the contract's ``/api/v1`` server prefix)."""
    port = free_port()
    command = [str(prism), "mock", "--host", "127.0.0.1", "--port", str(port), str(CONTRACT)]
    return start("Prism static", cores.pinned("server", command), f"http://127.0.0.1:{port}",
                 "/models/types/", {"Authorization": f"Bearer {TOKEN}"}, workdir / "prism.log")
