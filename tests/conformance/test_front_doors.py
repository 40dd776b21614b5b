"""The kit through its front doors: the environment's token, `make conformance`, the README's CI
command line and the ready-to-copy CI jobs of `docs/ci/`, run here against the mock (exit 0)
and a faulty catalogue server (exit 1).

Command lines are taken from the files users copy, then bounded (appended: argparse keeps the
last): two rules, few examples, a budget that never binds, so the verdict depends neither on the
machine's speed nor on the whole kit's run time (the kit's verdicts have tests of their own).
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conformance.options import TOKEN_VARIABLE
from tests.catalogue import CATALOGUE
from tests.kit import KIT_GUARD, NEVER_BINDS, run_kit
from tests.live import ROOT, TOKEN, LiveServer, free_port

BOUNDS = f" --rules partial_update,not_found --no-schema --examples 2 --max-time {NEVER_BINDS}"
BIN = str(Path(sys.executable).parent)  # syft-conformance, syft-models-mock


@pytest.fixture(scope="module")
def faulty() -> Iterator[LiveServer]:
    server = LiveServer(CATALOGUE["patch_clears_unsent_fields"].build())
    yield server
    server.stop()


def shell(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    inherited = {key: value for key, value in os.environ.items() if key != TOKEN_VARIABLE}
    environ = {**inherited, "PATH": f"{BIN}:{os.environ['PATH']}", **env}
    return subprocess.run(["bash", "-c", script], cwd=cwd, env=environ, capture_output=True, text=True,
                          timeout=KIT_GUARD)


def test_the_token_comes_from_the_environment(mock_server: LiveServer) -> None:
    quick = ["--base-url", mock_server.base_url, "--rules", "not_found", "--no-schema", "--examples", "1",
             "--max-time", str(NEVER_BINDS)]
    done = shell(shlex.join(["syft-conformance", *quick]), ROOT, **{TOKEN_VARIABLE: TOKEN})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    missing = shell(shlex.join(["syft-conformance", *quick]), ROOT)
    assert missing.returncode == 2 and TOKEN_VARIABLE in missing.stderr
    assert TOKEN_VARIABLE in run_kit("--help").stdout


def test_make_conformance_keeps_the_token_out_of_its_output_and_derives_the_url() -> None:
    def dry(*assignments: str) -> str:
        return subprocess.run(["make", "-n", "conformance", *assignments], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout

    assert "ck-not-shown-4711" not in dry("TOKEN=ck-not-shown-4711")
    derived = dry("HOST=127.0.0.2", "PORT=18080")
    assert "--base-url http://127.0.0.2:18080/api/v1" in derived and "--other-tenant acme" in derived
    given = dry("BASE_URL=http://elsewhere:1/api/v1")
    assert "--base-url http://elsewhere:1/api/v1" in given and "--other-tenant" not in given


def test_make_conformance_prints_the_kits_own_exit_code(faulty: LiveServer) -> None:
    done = subprocess.run(
        ["make", "conformance", f"BASE_URL={faulty.base_url}", "TOKEN=" + TOKEN,
         f"KIT_ARGS={BOUNDS.strip()}"],
        cwd=ROOT, capture_output=True, text=True, timeout=KIT_GUARD,
    )
    assert "syft-conformance exit code: 1" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]
    assert done.returncode == 2  # make's own code for any failing recipe
    assert TOKEN not in done.stdout + done.stderr


def _readme_ci_line() -> str:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("### In CI", 1)[1]
    return next(line for line in section.splitlines() if line.startswith("syft-conformance "))


def test_the_readme_ci_command_line_fails_a_faulty_server(faulty: LiveServer, tmp_path: Path) -> None:
    done = shell(_readme_ci_line() + BOUNDS, tmp_path, BASE_URL=faulty.base_url, **{TOKEN_VARIABLE: TOKEN})
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr
    assert "UnsentFieldChanged" in done.stdout and (tmp_path / "reports" / "conformance.xml").exists()


def _github_steps(job: str) -> dict[str, dict]:
    workflow = yaml.safe_load((ROOT / "docs" / "ci" / "github-actions.yml").read_text(encoding="utf-8"))
    return {step.get("name", ""): step for step in workflow["jobs"][job]["steps"]}


def _gitlab_script(job: str) -> list[str]:
    jobs = yaml.safe_load((ROOT / "docs" / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    return [line for line in jobs[job]["script"] if not line.startswith("pip install")]


def _deployment_commands() -> dict[str, str]:
    github = _github_steps("deployment")["Check the deployment"]["run"]
    (gitlab,) = [line for line in _gitlab_script("models-api-conformance") if "syft-conformance" in line]
    return {"github": github, "gitlab": gitlab.replace("$MODELS_API_URL", "$BASE_URL")}


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_the_ci_deployment_jobs_pass_the_mock_and_fail_a_faulty_server(
    ci: str, mock_server: LiveServer, faulty: LiveServer, tmp_path: Path
) -> None:
    command = _deployment_commands()[ci] + BOUNDS
    assert "--baseline syft-space-real-server-2026-11" in command and "--junit-xml" in command
    assert "--token" not in command  # the key comes from the secret store, through the environment
    for server, expected in ((mock_server, 0), (faulty, 1)):
        done = shell(command, tmp_path, BASE_URL=server.base_url, **{TOKEN_VARIABLE: TOKEN})
        assert done.returncode == expected, done.stdout[-3000:] + done.stderr
        assert (tmp_path / "reports" / "conformance.xml").exists()


def _mock_job_script(ci: str) -> list[str]:
    if ci == "github":
        steps = _github_steps("mock")
        check = steps["Check the mock"]
        kit = " ".join(f"{key}={value}" for key, value in check["env"].items()) + " " + check["run"]
        return [steps["Start the mock"]["run"], steps["Wait for the mock"]["run"], kit]
    return _gitlab_script("models-api-mock")


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_the_ci_mock_jobs_start_the_mock_and_pass(ci: str, tmp_path: Path) -> None:
    start, wait, kit = _mock_job_script(ci)
    assert start.rstrip().endswith("&") and "syft-models-mock" in start and "syft-conformance" in kit
    port = str(free_port())
    started = shell(f"{start}\necho $! > mock.pid", tmp_path, MOCK_PORT=port)
    assert started.returncode == 0, started.stderr
    pid = int((tmp_path / "mock.pid").read_text())
    try:
        assert shell(wait, tmp_path, MOCK_PORT=port).returncode == 0, (tmp_path / "mock.log").read_text()
        done = shell(kit + BOUNDS, tmp_path, MOCK_PORT=port)
    finally:
        os.kill(pid, signal.SIGTERM)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert re.search(r"CONFORMS \(exit 0", done.stdout)


@pytest.mark.parametrize("path", ["", "/api/v1/ui/"])
def test_a_url_without_the_models_api_says_so(mock_server: LiveServer, path: str) -> None:
    done = run_kit("--base-url", mock_server.root_url + path, "--token", TOKEN)
    assert done.returncode == 2
    assert "no Models API at" in done.stderr and "/api/v1" in done.stderr
