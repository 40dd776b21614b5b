"""The kit against a live mock server (the shared `mock_server`): verdicts, exit codes,
reproductions, safety and cleanup."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from conformance.api import MODELS
from conformance.context import MAX_FINDINGS, RuleContext
from conformance.contract import Contract
from conformance.curl import curl_script
from conformance.options import KitOptions
from conformance.run_context import RunContext
from tests.kit import KIT_GUARD, NEVER_BINDS, RULE_NAMES, run_kit, start_kit
from tests.live import ROOT, START_GUARD, TOKEN, LiveServer, free_port


def auth(tenant: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    if tenant:
        headers["X-Tenant-Name"] = tenant
    return headers


def kit_names(server: LiveServer, tenant: str | None = None) -> list[str]:
    listed = httpx.get(f"{server.base_url}/models/", headers=auth(tenant), timeout=60).json()
    return [item["name"] for item in listed if item["name"].startswith("ck-")]


def wait_for_kit_models(server: LiveServer, process: subprocess.Popen, *tenants: str | None) -> None:
    """Returns once the running kit has created a model in one of ``tenants``, however slowly."""
    guard = time.monotonic() + START_GUARD
    while not any(kit_names(server, tenant) for tenant in tenants):
        assert process.poll() is None, "the kit ended without creating a model"
        assert time.monotonic() < guard, "the kit neither created a model nor ended"
        time.sleep(0.02)


def a_rule_context(options: KitOptions, rule_name: str) -> RuleContext:
    """A rule's context on a checked target, recording what it sends as a rule's would."""
    run = RunContext(options, Contract.load())
    run.preflight()
    ctx = RuleContext(run, rule_name, "", deadline=float("inf"))
    run.client.listeners.append(ctx.record)
    return ctx


def every_model(server: LiveServer) -> dict:
    """Every model of both tenants the kit acts in, as listed."""
    return {tenant: httpx.get(f"{server.base_url}{MODELS}", headers=auth(tenant), timeout=60).json()
            for tenant in (None, "acme")}


@dataclass
class FullRun:
    """One whole kit run against the session mock, and the mock's models before and after it."""

    before: dict
    done: subprocess.CompletedProcess
    report: dict
    after: dict


@pytest.fixture(scope="module")
def full_run(mock_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> FullRun:
    """Shared by the tests that judge a whole run: it is the slowest thing they do."""
    report_path = tmp_path_factory.mktemp("full-run") / "report.json"
    before = every_model(mock_server)
    done = run_kit("--base-url", mock_server.base_url, "--token", TOKEN, "--other-tenant", "acme",
                   "--seed", "11", "--max-time", str(NEVER_BINDS), "--json", str(report_path))
    report = json.loads(report_path.read_text()) if report_path.exists() else {"results": [], "remaining": None}
    return FullRun(before, done, report, every_model(mock_server))


def test_the_mock_conforms_every_rule_passes_and_nothing_is_left(full_run: FullRun) -> None:
    outcomes = {result["rule"]: result["outcome"] for result in full_run.report["results"]}
    assert outcomes == {name: "pass" for name in RULE_NAMES}, full_run.done.stdout[-3000:]
    assert full_run.done.returncode == 0
    assert full_run.report["remaining"] == []
    assert not any(item["name"].startswith("ck-") for models in full_run.after.values() for item in models)


def test_exit_2_when_the_target_is_unreachable() -> None:
    done = run_kit("--base-url", f"http://127.0.0.1:{free_port()}/api/v1", "--token", TOKEN, "--timeout", "2")
    assert done.returncode == 2
    assert "unreachable" in done.stderr


def test_exit_2_when_the_key_is_rejected(mock_server: LiveServer) -> None:
    done = run_kit("--base-url", mock_server.base_url, "--token", "not-the-key")
    assert done.returncode == 2
    assert "401" in done.stderr


@pytest.mark.parametrize(
    "extra",
    [
        ["--tenant", "no-such-tenant"],
        ["--tenant", "dormant"],
        ["--rules", "partial_update,no_such_rule"],
        ["--tenant", "acme", "--other-tenant", "acme"],
        ["--configuration", "{not json", "--dtype", "openai"],
        ["--contract", "/nonexistent/openapi.yaml"],
    ],
)
def test_exit_2_on_options_the_kit_cannot_run_with(mock_server: LiveServer, extra: list[str]) -> None:
    done = run_kit("--base-url", mock_server.base_url, "--token", TOKEN, *extra)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "cannot run" in done.stderr


def test_a_rendered_curl_sequence_reproduces_the_requests(mock_server: LiveServer) -> None:
    kit = a_rule_context(KitOptions(base_url=mock_server.base_url, token=TOKEN, tenant="acme"), "curl")
    name = kit.name("repro é ü")
    renamed = kit.name("renamed/not")[:-4] + " done"
    kit.api.create_ok(name, summary="first")
    kit.api.patch(name, {"name": renamed, "summary": "it's \"quoted\""})
    kit.api.get_ok(renamed)
    script = curl_script(kit.transcript)
    kit.run.tracker.cleanup(kit.run.client)
    assert "$TOKEN" in script and TOKEN not in script
    env = {**os.environ, "TOKEN": TOKEN}
    replay, cleanup = script.split("# then remove what the commands above created:\n")
    outputs = [
        subprocess.run(["bash", "-c", line], capture_output=True, text=True, env=env, check=True).stdout
        for line in replay.splitlines()
    ]
    replayed = json.loads(outputs[-1])
    assert replayed["name"] == renamed and replayed["summary"] == "it's \"quoted\""
    assert kit_names(mock_server, "acme") == [renamed]
    subprocess.run(["bash", "-c", cleanup], capture_output=True, text=True, env=env, check=True)
    assert kit_names(mock_server, "acme") == []  # replaying the script left nothing behind


def test_cleanup_deletes_tracked_and_prefixed_models_and_nothing_else(mock_server: LiveServer) -> None:
    kit = a_rule_context(KitOptions(base_url=mock_server.base_url, token=TOKEN), "sweep")
    tracked = kit.api.create_ok(kit.name("tracked"))
    kit.api.patch(tracked["name"], {"name": kit.name("moved")}).expect(200)
    body = kit.api.create_body(kit.name("untracked"))
    httpx.post(f"{mock_server.base_url}/models/", json=body, headers=auth()).raise_for_status()
    foreign = {**kit.api.create_body("ck-someone-else"), "name": "ck-someone-else"}
    httpx.post(f"{mock_server.base_url}/models/", json=foreign, headers=auth()).raise_for_status()
    try:
        assert kit.run.tracker.tracked() == [(None, kit.name("moved"))]
        assert kit.run.tracker.cleanup(kit.run.client) == []
        assert kit_names(mock_server) == ["ck-someone-else"]
    finally:
        httpx.delete(f"{mock_server.base_url}/models/ck-someone-else", headers=auth())


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_run_leaves_nothing_behind(mock_server: LiveServer, sig: signal.Signals) -> None:
    process = start_kit(
        "--base-url", mock_server.base_url, "--token", TOKEN, "--other-tenant", "acme", "--no-schema",
        "--examples", "200", "--max-time", str(NEVER_BINDS), "--rules", "tenant_isolation,partial_update",
    )
    wait_for_kit_models(mock_server, process, None, "acme")
    process.send_signal(sig)
    stdout, _ = process.communicate(timeout=KIT_GUARD)
    assert process.returncode == 2
    assert "interrupted" in stdout
    assert kit_names(mock_server) == [] and kit_names(mock_server, "acme") == []


class _Recorder(BaseHTTPRequestHandler):
    """A proxy to the mock that remembers every method it forwarded."""

    upstream = ""
    methods: list[str] = []

    def _forward(self) -> None:
        type(self).methods.append(self.command)
        length = int(self.headers.get("Content-Length") or 0)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
        try:
            answer = httpx.request(self.command, self.upstream + self.path, headers=headers,
                                   content=self.rfile.read(length) if length else None)
        except httpx.HTTPError:  # headers httpx refuses to send (generated negative data)
            answer = httpx.Response(400, json={"detail": "not forwarded"})
        self.send_response(answer.status_code)
        for key, value in answer.headers.items():
            if key.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = do_OPTIONS = do_HEAD = do_TRACE = _forward

    def log_message(self, *args: object) -> None:
        pass


def test_read_only_sends_only_get_and_says_what_it_could_not_check(mock_server: LiveServer, tmp_path: Path) -> None:
    _Recorder.upstream = mock_server.base_url.removesuffix("/api/v1")
    _Recorder.methods = []
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        report_path = tmp_path / "ro.json"
        done = run_kit("--base-url", f"http://127.0.0.1:{proxy.server_port}/api/v1", "--token", TOKEN,
                       "--read-only", "--seed", "5", "--examples", "3", "--max-time", str(NEVER_BINDS),
                       "--json", str(report_path))
    finally:
        proxy.shutdown()
    assert set(_Recorder.methods) == {"GET"}
    results = {r["rule"]: r for r in json.loads(report_path.read_text())["results"]}
    not_run = {name for name, r in results.items() if r["outcome"] == "not run"}
    assert {"partial_update", "delete", "secrets", "timestamps"} <= not_run
    assert all("read-only" in results[name]["reason"] for name in not_run if name != "tenant_isolation")
    assert {results[name]["outcome"] for name in ("auth", "not_found", "response_schema")} == {"pass"}
    assert {r["outcome"] for r in results.values()} == {"pass", "not run"}  # the mock conforms
    assert "a read-only run creates nothing" in done.stdout and "every model the kit created" not in done.stdout


class _Broken(BaseHTTPRequestHandler):
    """A target that answers every request with an HTML error page."""

    def _answer(self) -> None:
        page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
        self.send_response(502)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = do_OPTIONS = _answer

    def log_message(self, *args: object) -> None:
        pass


def test_a_broken_target_fails_rules_with_clear_messages_and_never_crashes(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Broken)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        report_path = tmp_path / "broken.json"
        done = run_kit("--base-url", f"http://127.0.0.1:{server.server_port}/api/v1", "--token", TOKEN,
                       "--max-time", str(NEVER_BINDS), "--examples", "3", "--json", str(report_path))
    finally:
        server.shutdown()
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    results = json.loads(report_path.read_text())["results"]
    failed = [r for r in results if r["outcome"] == "fail"]
    assert len(failed) >= 10
    findings = [finding for r in failed for finding in r["findings"]]
    # Schemathesis fails every operation and check: more findings than a rule shows, counted in one
    assert {f["defect"] for f in findings} <= {"ServerError", "SchemaCheckFailed", "UndocumentedStatus",
                                               "FindingsLeftOff"}, failed
    assert all(len(r["findings"]) <= MAX_FINDINGS + 1 for r in failed)
    server_errors = [f for f in findings if f["defect"] == "ServerError"]
    assert server_errors and all(f["actual"] == "502" and f["evidence"][0]["status"] == 502 for f in server_errors)
    assert any("server error" in f["message"] for f in server_errors)


def test_a_target_that_never_answers_is_reported_not_waited_for() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:  # a kit that waited for the answer would never end: run_kit's guard would fail the test
        done = run_kit("--base-url", f"http://127.0.0.1:{listener.getsockname()[1]}/api/v1", "--token", TOKEN,
                       "--timeout", "1")
    finally:
        listener.close()
    assert done.returncode == 2
    assert "no answer" in done.stderr


def test_the_kit_never_touches_models_it_did_not_create(full_run: FullRun) -> None:
    done = full_run.done
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]  # the run happened, and every rule passed
    assert full_run.after == full_run.before


# The kit's per-request timeout against the proxy: long enough that a loaded machine answers every
# request before the proxy starts holding them, so only the held ones time out.
HUNG_TIMEOUT = 5


class _Hangs(_Recorder):
    """The proxy to the mock, until `hanging` is set: then it holds every request unanswered."""

    hanging = threading.Event()
    released = threading.Event()
    held = 0

    def _forward(self) -> None:
        if type(self).hanging.is_set():
            type(self).held += 1
            type(self).released.wait(KIT_GUARD)
            return
        super()._forward()

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = do_OPTIONS = do_HEAD = do_TRACE = _forward


def test_a_target_that_stops_answering_costs_a_few_timeouts_not_one_per_request(
    mock_server: LiveServer, tmp_path: Path
) -> None:
    _Hangs.upstream = mock_server.base_url.removesuffix("/api/v1")
    _Hangs.hanging.clear()
    _Hangs.released.clear()
    _Hangs.held = 0
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), _Hangs)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    report_path = tmp_path / "hung.json"
    try:
        process = start_kit(
            "--base-url", f"http://127.0.0.1:{proxy.server_port}/api/v1", "--token", TOKEN,
            "--timeout", str(HUNG_TIMEOUT), "--no-schema", "--seed", "3", "--max-time", str(NEVER_BINDS),
            "--json", str(report_path),
        )
        wait_for_kit_models(mock_server, process, None)
        _Hangs.hanging.set()
        stdout, stderr = process.communicate(timeout=KIT_GUARD)
    finally:
        _Hangs.released.set()
        proxy.shutdown()
    report = json.loads(report_path.read_text())
    assert process.returncode == 1 and "Traceback" not in stdout + stderr
    # two requests in a row unanswered during the rules, two more during the cleanup
    assert _Hangs.held <= 4
    failed = [result for result in report["results"] if result["outcome"] == "fail"]
    assert failed and all(result["findings"][0]["defect"] == "NoAnswer" for result in failed), failed
    assert report["remaining"], "what could not be deleted must be reported"
    leftovers = kit_names(mock_server)
    reported = {item["name"]: item["why"] for item in report["remaining"]}
    assert "could not list" in reported.pop("<listing>")  # the sweep says it could not look
    assert sorted(reported) == sorted(leftovers)
    for name in leftovers:  # the target answers again: remove what the kit had to leave
        httpx.delete(f"{mock_server.base_url}/models/{name}", headers=auth(), timeout=60)


def test_the_pytest_form_runs_one_test_per_rule_and_skips_only_what_options_exclude(
    mock_server: LiveServer, tmp_path: Path
) -> None:
    import xml.etree.ElementTree as ElementTree

    junit = tmp_path / "pytest-form.xml"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "conformance", "-p", "no:cacheprovider", "-q",
         "--base-url", mock_server.base_url, "--token", TOKEN, "--seed", "3", "--examples", "3",
         "--max-time", str(NEVER_BINDS),
         "--junit-xml", str(junit)],
        cwd=ROOT, capture_output=True, text=True, timeout=KIT_GUARD,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    cases = {case.get("name"): case for case in ElementTree.parse(junit).getroot().iter("testcase")}
    assert set(cases) == {f"test_rule[{name}]" for name in RULE_NAMES}
    skipped = {name for name, case in cases.items() if case.find("skipped") is not None}
    assert skipped == {"test_rule[tenant_isolation]", "test_rule[health_tenant_scoped]"}
    assert all("--other-tenant" in cases[name].find("skipped").get("message") for name in skipped)
    assert not any(case.find("failure") is not None or case.find("error") is not None for case in cases.values())
    assert kit_names(mock_server) == []


def test_the_same_seed_finds_the_same_counterexample(tmp_path: Path) -> None:
    from tests.catalogue import CATALOGUE

    server = LiveServer(CATALOGUE["conflict_check_ignores_case"].build())
    found = []
    try:
        for attempt in range(2):
            report_path = tmp_path / f"seeded-{attempt}.json"
            run_kit("--base-url", server.base_url, "--token", TOKEN, "--seed", "41", "--no-schema",
                    "--max-time", str(NEVER_BINDS), "--rules", "name_conflicts", "--json", str(report_path))
            report = json.loads(report_path.read_text())
            (result,) = report["results"]
            assert result["outcome"] == "fail" and result["findings"][0]["counterexample"]
            seen = [finding["counterexample"] + finding["message"] for finding in result["findings"]]
            found.append([text.replace(report["prefix"], "<run>") for text in seen])
    finally:
        server.stop()
    assert found[0] == found[1]


def test_a_starved_budget_is_incomplete_never_conforms(mock_server: LiveServer, tmp_path: Path) -> None:
    """Issue 6 §1: a budget too small to judge everything gives exit 2 with the reason."""
    report_path = tmp_path / "starved.json"
    done = run_kit("--base-url", mock_server.base_url, "--token", TOKEN, "--other-tenant", "acme",
                   "--no-schema", "--max-time", "0.001", "--json", str(report_path))
    report = json.loads(report_path.read_text())
    assert done.returncode == 2, done.stdout[-3000:]
    assert report["verdict"] == "INCOMPLETE" and report["exit_code"] == 2
    assert report["unjudged"] and all("time budget" in reason for reason in report["unjudged"])
    assert "INCOMPLETE (exit 2" in done.stdout
    outcomes = {result["rule"]: result["outcome"] for result in report["results"]}
    assert outcomes["schema_conformance"] == "not run"  # --no-schema: the run's own option
    assert "incomplete" in outcomes.values() and "fail" not in outcomes.values()


def test_explicit_cases_run_whatever_the_budget(tmp_path: Path) -> None:
    """The defect of the first measured miss is found with no budget left for generated examples."""
    from tests.catalogue import CATALOGUE

    server = LiveServer(CATALOGUE["patch_clears_unsent_fields"].build())
    report_path = tmp_path / "starved-faulty.json"
    try:
        done = run_kit("--base-url", server.base_url, "--token", TOKEN, "--no-schema", "--max-time", "0.001",
                       "--rules", "partial_update", "--json", str(report_path))
    finally:
        server.stop()
    (result,) = json.loads(report_path.read_text())["results"]
    assert done.returncode == 1, done.stdout[-3000:]
    assert [finding["defect"] for finding in result["findings"]] == ["UnsentFieldChanged"]
    assert result["findings"][0]["counterexample"].startswith("Explicit case:")


def test_help_gives_the_exit_code_table() -> None:
    done = run_kit("--help")
    assert done.returncode == 0
    for line in ("0  CONFORMS", "1  DOES NOT CONFORM", "2  INCOMPLETE"):
        assert line in done.stdout

