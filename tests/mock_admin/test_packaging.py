"""Issue 7 §6: `pip install .` (not editable) gives a working mock and kit anywhere.

The wheel is built from a copy of the source tree (the repository is left as it is), installed
into a fresh virtualenv (dependencies are lent from the project's own virtualenv, so nothing is
downloaded), and started from ``/``: the contract, the fixtures and the control plane's contract
must come from inside the installed packages.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import time
import venv
from pathlib import Path

import httpx
import pytest

from tests.live import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a fresh virtualenv holding the project's wheel."""
    work = tmp_path_factory.mktemp("packaging")
    source = work / "source"
    shutil.copytree(ROOT, source, symlinks=True,
                    ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", ".pytest_cache", "build", "*.egg-info"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                    "-w", str(work / "dist"), str(source)], check=True, capture_output=True, timeout=300)
    wheel = next((work / "dist").glob("*.whl"))
    target = work / "venv"
    venv.create(target, with_pip=False)
    python = target / "bin" / "python"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "lent_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    "--quiet", str(wheel)], check=True, capture_output=True, timeout=300)
    return target / "bin"


def run_from_root(command: list, **options) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd="/", env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                          timeout=120, **options)


def test_the_installed_packages_are_used_not_the_source_tree(installed):
    found = run_from_root([installed / "python", "-c", "import handlers, conformance; "
                           "print(handlers.__file__); print(conformance.__file__)"])
    assert found.returncode == 0, found.stderr
    assert all(str(ROOT) not in line and str(installed.parent) in line for line in found.stdout.splitlines())


def test_the_installed_kit_starts_from_anywhere(installed):
    result = run_from_root([installed / "syft-conformance", "--help"])
    assert result.returncode == 0 and "--base-url" in result.stdout


@pytest.mark.parametrize("own_fixtures", [False, True], ids=["shipped fixtures", "--fixtures"])
def test_the_installed_mock_starts_from_root_and_answers_a_patch(installed, tmp_path, own_fixtures):
    options = []
    if own_fixtures:
        shutil.copytree(ROOT / "fixtures", tmp_path / "fixtures")
        models = json.loads((tmp_path / "fixtures" / "models.json").read_text())
        models[0]["summary"] = "from my own fixtures"
        (tmp_path / "fixtures" / "models.json").write_text(json.dumps(models))
        options = ["--fixtures", str(tmp_path / "fixtures")]
    port = free_port()
    server = subprocess.Popen([installed / "syft-models-mock", "--port", str(port), "--quiet", *options], cwd="/",
                              env={"PATH": "/usr/bin:/bin"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": "Bearer demo-admin-key"}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                before = httpx.get(f"{base}/api/v1/models/gpt-4-assistant", headers=headers, timeout=10)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, server.stderr.read()
                time.sleep(0.1)
        patched = httpx.patch(f"{base}/api/v1/models/gpt-4-assistant", headers=headers,
                              json={"tags": "installed"}, timeout=10)
        control_plane = httpx.get(f"{base}/__mock/rules", headers=headers, timeout=10)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert before.status_code == 200
    assert (before.json()["summary"] == "from my own fixtures") == own_fixtures
    assert patched.status_code == 200 and patched.json()["tags"] == "installed"
    assert control_plane.status_code == 200
