"""The kit against the catalogue's hostile targets (issue 8 §4): bounded memory, every request
ends, no crash, and the admin key appears in none of the kit's outputs.

The catalogue's own test proves the verdict and the defect named; here the kit runs as a
measured process (``hostile_kit``). Nothing here measures time: the subprocess guard only stops
a kit that would otherwise hang (what a missing deadline looks like).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.catalogue import CATALOGUE
from tests.catalogue import hostile as h
from tests.catalogue.base import Server
from tests.catalogue.entries.hostile import HOSTILE
from tests.conformance.hostile_kit import KIT_GUARD_SECONDS, measured_kit, peak_rss_mib, run_against
from tests.kit import KIT, NEVER_BINDS
from tests.live import ROOT, TOKEN, LiveServer

PEAK_RSS_BOUND_MIB = 300  # the kit once took 3.4 GB on the huge list and 4.8 GB on the bomb
KIT_CRASH = {"UnexpectedAnswer"}
OPTIONS = ("--other-tenant", "acme", "--no-schema", "--examples", "2", "--seed", "7", "--timeout", "3",
           "--max-time", str(NEVER_BINDS))


# The Schemathesis phase alone (it sends through `requests`, not the kit's client), against the
# targets whose answers no client may read whole, with the defect each must be reported as.
SCHEMA_OPTIONS = ("--rules", "schema_conformance", "--examples", "2", "--seed", "7", "--timeout", "3",
                  "--max-time", str(NEVER_BINDS))
# The kit's own memory (about 115 MiB) plus one capped answer and its copies; the phase's
# unbounded reads once took 283 MiB on the 100 MB list alone.
SCHEMA_PEAK_RSS_BOUND_MIB = 200
SCHEMA_TARGETS = {"huge_list": "ResponseTooLarge", "gzip_bomb_list": "ResponseTooLarge",
                  "drip_list": "NoAnswer", "endless_chunked_list": "NoAnswer",
                  # every path outside the API: only Schemathesis' own probes of the base URL ask
                  "gzip_bomb_off_the_contract": "ResponseTooLarge"}
SCHEMA_SERVERS = {"gzip_bomb_off_the_contract": Server("gzip_bomb_off_the_contract",
                                                       wrappers=(h.gzip_bomb_off_the_contract,))}


def _runs(targets, options, prefix: str) -> dict:
    """Each target's kit run, started together (each kit is its own process)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    with ThreadPoolExecutor(4, thread_name_prefix="hostile") as pool:
        futures = {target: pool.submit(run_against, SCHEMA_SERVERS.get(target, target), folder, *options)
                   for target in targets}
        return {target: future.result() for target, future in futures.items()}


@pytest.fixture(scope="module")
def hostile_runs():
    return _runs(HOSTILE, OPTIONS, "hostile-kit-")


@pytest.fixture(scope="module")
def schema_runs():
    return _runs(SCHEMA_TARGETS, SCHEMA_OPTIONS, "hostile-schema-")


@pytest.mark.parametrize("target", HOSTILE)
def test_kit_fails_the_target_without_crashing(target, hostile_runs):
    run = hostile_runs[target]
    assert run.exit_code == 1, run.summary()
    assert "Traceback" not in run.stderr, run.summary()
    assert not run.defects & KIT_CRASH, run.summary()


@pytest.mark.parametrize("target", HOSTILE)
def test_kit_memory_stays_bounded(target, hostile_runs):
    run = hostile_runs[target]
    assert run.peak_rss_mib < PEAK_RSS_BOUND_MIB, run.summary()


def test_the_peak_measured_is_the_kits_own_not_the_test_process():
    """A test process grown past the bound (as a whole suite grows it) must not show in the kit's figure."""
    ballast = bytearray(2 * PEAK_RSS_BOUND_MIB * 1024 * 1024)
    ballast[::4096] = b"\x01" * len(ballast[::4096])  # touched, so resident
    finished = subprocess.run(measured_kit("--help"), cwd=ROOT, capture_output=True, text=True,
                              timeout=KIT_GUARD_SECONDS, check=False)
    del ballast
    assert finished.returncode == 0, finished.stderr
    assert peak_rss_mib(finished.stderr) < PEAK_RSS_BOUND_MIB


@pytest.mark.parametrize("target", SCHEMA_TARGETS)
def test_schemathesis_phase_reports_the_target_with_bounded_memory(target, schema_runs):
    """Every request of the Schemathesis phase is bounded like the kit's own (issue 8 §4): the
    answer no client may read whole is the schema rule's evidence, the kit stays small, exit 1."""
    run = schema_runs[target]
    assert run.exit_code == 1, run.summary()
    assert "Traceback" not in run.stderr, run.summary()
    findings = run.failed.get("schema_conformance", {}).get("findings", [])
    assert SCHEMA_TARGETS[target] in {finding["defect"] for finding in findings}, run.summary()
    assert run.peak_rss_mib < SCHEMA_PEAK_RSS_BOUND_MIB, run.summary()


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


# Drips, never ending, from each server's first request of the kind: the model list (which
# preflight reads), a model read (which only the Schemathesis phase sends, preflight passes), or
# a path outside the API (which only Schemathesis' own probes ask for, past every kit bound).
NEVER_ENDING = {
    "list, the rules": (CATALOGUE["drip_list"], ("--other-tenant", "acme", "--no-schema")),
    "list, preflight": (CATALOGUE["drip_list"], ("--rules", "schema_conformance")),
    "model, Schemathesis": (Server("drip_model", wrappers=(h.drip_model_answers,)), ("--rules", "schema_conformance")),
    "off the API, Schemathesis' probe": (Server("drip_off_the_contract", wrappers=(h.drip_off_the_contract,)),
                                         ("--rules", "schema_conformance")),
}


@pytest.mark.parametrize("where", NEVER_ENDING)
def test_max_time_ends_a_run_whose_requests_would_never_end(where):
    """With a per-request timeout far beyond any run, --max-time alone must end the run: the
    drip never finishes a request, so only the run's deadline can cut it (exit 2: not judged)."""
    target, options = NEVER_ENDING[where]
    server = LiveServer(target.build())
    try:
        finished = subprocess.run(
            [*KIT, "--base-url", server.base_url, "--token", TOKEN, *options, "--timeout", "100000", "--max-time", "5"],
            check=False, cwd=ROOT, capture_output=True, text=True, timeout=KIT_GUARD_SECONDS,
        )
    finally:
        server.stop()
    assert finished.returncode == 2, finished.stdout + finished.stderr
    assert "--max-time" in finished.stdout + finished.stderr
    assert "Traceback" not in finished.stderr
