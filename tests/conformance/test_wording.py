"""Evidence that reads right (issue 6 §5): tenants, first answers, methods sent, excerpts."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from conformance.reports import text_report
from conformance.results import RunReport, excerpt
from conformance.schema_phase import _failures
from tests.catalogue import CATALOGUE
from tests.kit import NEVER_BINDS, run_kit
from tests.live import TOKEN, LiveServer


def test_the_default_tenant_is_named_so() -> None:
    text = text_report(RunReport("http://target/api/v1", None, None, seed=1, prefix="ck-0000000000-"))
    assert "(the default tenant)" in text and "tenant None" not in text


def test_an_excerpt_stops_at_a_line_and_says_what_it_left_out() -> None:
    text = "\n".join(json.dumps({"line": index, "body": "x" * 40}) for index in range(100))
    cut = excerpt(text, 500)
    kept, said = cut.split(" [... ")
    assert all(json.loads(line) for line in kept.split("\n"))  # whole JSON documents only
    assert said == f"{len(text) - len(kept)} more characters]"
    assert excerpt("short", 500) == "short"


def test_schemathesis_failures_are_labelled_with_the_method_sent() -> None:
    failure = SimpleNamespace(operation="GET /models/{name}", title="Unsupported methods", message="405 expected")
    check = SimpleNamespace(failure_info=SimpleNamespace(failure=failure, code_sample="curl -X OPTIONS ..."))
    sent = SimpleNamespace(value=SimpleNamespace(method="options", operation=SimpleNamespace(path="/models/{name}")))
    recorder = SimpleNamespace(checks={"case-1": [check]}, cases={"case-1": sent}, interactions={},
                               label="GET /models/{name}")
    (found,) = _failures(SimpleNamespace(recorder=recorder), "admin-key")
    assert found.operation == "OPTIONS /models/{name}"


def test_name_rules_quotes_the_first_answer(tmp_path: Path) -> None:
    """On a fresh server the empty name is created (201); later replays would quote a 409."""
    server = LiveServer(CATALOGUE["empty_name_accepted"].build())
    report_path = tmp_path / "names.json"
    try:
        run_kit("--base-url", server.base_url, "--token", TOKEN, "--rules", "name_rules", "--no-schema",
                "--examples", "5", "--max-time", str(NEVER_BINDS), "--json", str(report_path))
    finally:
        server.stop()
    (result,) = json.loads(report_path.read_text())["results"]
    finding = next(f for f in result["findings"] if f["defect"] == "InvalidNameAccepted")
    assert finding["actual"] == "201" and finding["evidence"][0]["status"] == 201, finding
    assert "got 201" in finding["message"]


def test_a_tenant_the_target_ignores_is_refused(tmp_path: Path) -> None:
    server = LiveServer(CATALOGUE["tenant_header_ignored"].build())
    try:
        done = run_kit("--base-url", server.base_url, "--token", TOKEN, "--tenant", "acme", "--no-schema")
    finally:
        server.stop()
    assert done.returncode == 2
    assert "ignores X-Tenant-Name" in done.stderr and "run without --tenant" in done.stderr
