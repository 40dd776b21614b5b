"""Issue 7 §4 and §5: the console (banner after bind, a line per request, refused CORS) and
fixtures checked at start (one line naming the file, the entry and the problem), --watch."""

from __future__ import annotations

import json
import logging
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from handlers import serve
from handlers.fixtures import DEFAULT_FIXTURES
from handlers.mock_admin.watch import Watcher
from tests.live import free_port

ROOT = Path(__file__).resolve().parents[2]
BANNER_LINES = 6


@pytest.fixture
def fixtures(tmp_path) -> Path:
    folder = tmp_path / "fixtures"
    shutil.copytree(DEFAULT_FIXTURES, folder)
    return folder


def edit_models(folder: Path, change) -> None:
    path = folder / "models.json"
    models = json.loads(path.read_text())
    change(models)
    path.write_text(json.dumps(models))


@pytest.mark.parametrize("breakage, words", [
    (lambda f: (f / "models.json").write_text('[{"name": "x",}]'), ["models.json", "line 1 column 15", "invalid JSON"]),
    (lambda f: (f / "tenants.json").unlink(), ["tenants.json", "missing file"]),
    (lambda f: edit_models(f, lambda m: m[1].pop("name")), ["models.json", "entry 1", "'name'"]),
    (lambda f: edit_models(f, lambda m: m[2].pop("created_at")), ["models.json", "entry 2", "'created_at'"]),
    (lambda f: edit_models(f, lambda m: m[0].update(dtype="gpt9")), ["models.json", "entry 0", "unknown dtype 'gpt9'"]),
    (lambda f: edit_models(f, lambda m: m.append(dict(m[0]))), ["models.json", "('gpt-4-assistant')", "duplicate name"]),
    (lambda f: edit_models(f, lambda m: m[0].update(created_at="yesterday")), ["entry 0", "RFC 3339"]),
])
def test_bad_fixtures_stop_the_start_with_one_line_naming_file_entry_and_problem(fixtures, breakage, words):
    breakage(fixtures)
    with pytest.raises(SystemExit) as stopped:
        serve.main(["--fixtures", str(fixtures), "--port", str(free_port())])
    message = str(stopped.value.code)
    assert message.startswith("syft-models-mock: ") and "\n" not in message
    assert all(word in message for word in words), message


def test_a_bad_rules_file_stops_the_start_with_one_line(tmp_path):
    rules = tmp_path / "rules.json"
    for text, words in [('[{"status": 999}]', "at 0/status"), ('[{"match": {"operation": "nope"}, "status": 500}]',
                                                                "unknown operation 'nope'")]:
        rules.write_text(text)
        with pytest.raises(SystemExit) as stopped:
            serve.main(["--rules", str(rules), "--port", str(free_port())])
        assert words in str(stopped.value.code) and str(rules) in str(stopped.value.code)


def start_serve(*options: str) -> tuple[subprocess.Popen, int, list[str]]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "handlers.serve", "--port", str(port), *options], cwd="/",
                               env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    banner = [process.stdout.readline() for _ in range(BANNER_LINES)]
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
            return process, port, banner
        except httpx.TransportError:
            assert time.monotonic() < deadline and process.poll() is None, "the server did not start"
            time.sleep(0.05)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)


def test_a_port_in_use_is_one_line_and_no_banner():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "handlers.serve", "--port", str(port)], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [f"syft-models-mock: cannot listen on 127.0.0.1:{port}: Address already in use"]


def test_one_console_line_per_request_and_refused_preflights_name_origin_and_allowed_list():
    process, port, banner = start_serve("--cors-origin", "http://allowed.test")
    try:
        assert banner[2].startswith("Control plane:    http://127.0.0.1:") and "/__mock/ui/" in banner[2]
        base = f"http://127.0.0.1:{port}/api/v1"
        assert " GET / tenant=- sandbox=- 307 " in process.stdout.readline()  # start_serve's probe
        httpx.get(f"{base}/models/", headers={"Authorization": "Bearer demo-admin-key", "X-Mock-Session": "w7"}, timeout=10)
        request_line = process.stdout.readline()
        httpx.options(f"{base}/models/", headers={"Origin": "http://evil.test", "Access-Control-Request-Method": "GET"},
                      timeout=10)
        cors_line = process.stdout.readline()
    finally:
        stop(process)
    assert "GET /api/v1/models/ tenant=root sandbox=w7 200 " in request_line and request_line.rstrip().endswith("ms")
    assert "CORS preflight refused for origin http://evil.test" in cors_line and "http://allowed.test" in cors_line


def test_quiet_drops_the_request_lines_and_watch_with_a_data_file_says_why_not(tmp_path):
    process, port, banner = start_serve("--quiet", "--watch", "--data", str(tmp_path / "state.json"),
                                        "--cors-origin", "http://allowed.test")
    try:
        note = process.stdout.readline()
        for _ in range(3):
            httpx.get(f"http://127.0.0.1:{port}/api/v1/models/", headers={"Authorization": "Bearer demo-admin-key"})
        httpx.options(f"http://127.0.0.1:{port}/api/v1/models/",
                      headers={"Origin": "http://evil.test", "Access-Control-Request-Method": "GET"})
        next_line = process.stdout.readline()
    finally:
        stop(process)
    assert "not applied with --data" in note and "seed only a new file" in note
    assert "CORS preflight refused" in next_line


def wait_for(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_watch_applies_fixture_and_rules_edits_and_keeps_the_state_on_a_bad_edit(start_server, fixtures, tmp_path, caplog):
    rules = tmp_path / "rules.json"
    rules.write_text("[]")
    server = start_server(fixtures_dir=fixtures)
    watcher = Watcher(server.app.app.extensions["mock_controls"], fixtures, rules, interval=0.05).start()
    caplog.set_level(logging.WARNING, logger="syft_models_mock.watch")
    try:
        with server.client() as api:
            edit_models(fixtures, lambda models: models[0].update(summary="edited on disk"))
            assert wait_for(lambda: api.get("/models/gpt-4-assistant").json()["summary"] == "edited on disk")

            (fixtures / "models.json").write_text("[{")
            assert wait_for(lambda: "fixtures not applied" in caplog.text)
            assert api.get("/models/gpt-4-assistant").json()["summary"] == "edited on disk"

            rules.write_text(json.dumps([{"match": {"operation": "listModels"}, "status": 503}]))
            assert wait_for(lambda: api.get("/models/").status_code == 503)
            rules.write_text('[{"status": 999}]')
            assert wait_for(lambda: "rules not applied" in caplog.text)
            assert api.get("/models/").status_code == 503
    finally:
        watcher.stop()


@pytest.mark.parametrize("option", [["--journal-size", "-1"], ["--sandbox-limit", "0"], ["--sandbox-idle", "0"],
                                    ["--journal-size", "many"]])
def test_out_of_range_control_options_are_refused(option, capsys):
    with pytest.raises(SystemExit) as stopped:
        serve.parse_args(option)
    assert stopped.value.code == 2
    assert option[0] in capsys.readouterr().err
