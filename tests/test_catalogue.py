"""The faulty-server catalogue: every entry is really faulty, and the kit names its rule.

Two proofs per entry. A direct HTTP probe shows the defect on the entry and not on the mock,
so the entry is faulty for the reason its docstring gives. The conformance kit, run through
its command-line entry point against the entry with a small budget, exits 1, names the
entry's rule with one of the expected defects, and fails no rule outside the entry's allowed
set. The kit must pass (exit 0, every rule run) the unmodified mock served the same way
(response validation off), and the correct variants, so the comparison is fair.

Kit runs are slow mostly because they wait (the timestamps rule sleeps for the clock to
tick), so the runs this session selected are started together, a few at a time, each kit in
its own process against its own server (served from this process), as soon as the module
starts.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.catalogue import CATALOGUE, CORRECT_VARIANTS, RULE_NAMES, build
from tests.catalogue.probes import PROBES
from tests.live import TOKEN, LiveServer

ROOT = Path(__file__).resolve().parent.parent
KIT = [sys.executable, "-m", "conformance"]
KIT_TIMEOUT = 300
ENTRY_NAMES = CATALOGUE.names()
KIT_EXAMPLES = 5
KIT_SEED = 20240315
OTHER_TENANT = "acme"
WORKERS = 4
KIT_CRASH = {"UnexpectedAnswer"}  # the kit's name for "a rule raised something it did not expect"
# The defect named is the defect seen: names these entries must never get from any rule.
WRONG_NAMES = {
    "delete_answers_empty_object": {"DeletedModelStillThere"},
    "missing_model_is_409": {"TenantLeak", "DeletedModelStillThere", "PhantomModelCreated", "RenameNotFollowed"},
}
# Tests about one entry's kit run, beyond the per-entry ones.
ENTRY_TESTS = {
    "test_kit_reports_exactly_the_real_servers_discrepancies": "real_server_today",
    "test_a_known_failure_never_hides_a_new_one": "real_server_with_patch_regressions",
}


# --- running the kit ----------------------------------------------------------------------------


@dataclass
class KitRun:
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
        return {finding["defect"] for finding in self.failed.get(rule, {}).get("findings", [])}

    def summary(self) -> str:
        lines = [f"{self.target}: exit {self.exit_code} in {self.seconds:.1f}s"]
        if not self.report["results"]:
            lines.append(self.output)
        for result in self.report["results"]:
            lines.append(f"  {result['rule']}: {result['outcome']} {result['reason']}")
            lines += [f"    {finding['defect']}: {finding['message'][:400]}" for finding in result["findings"]]
        return "\n".join(lines)


_BUILDING = threading.Lock()  # app factories run one at a time (Connexion builds are not thread-safe)


def run_kit(target: str, factory, *, schema: bool, folder: Path) -> KitRun:
    """Serve ``app`` and run the kit's command line against it; the JSON report is the verdict.

    The kit runs in its own process: Hypothesis and Schemathesis keep process-wide state, and
    two kits in one process interfere (measured: missed defects, import races).
    """
    with _BUILDING:
        server = LiveServer(factory())
    report_path = folder / f"{target.replace(':', '-')}.json"
    argv = [*KIT,
        "--base-url", server.base_url, "--token", TOKEN, "--other-tenant", OTHER_TENANT,
        "--examples", str(KIT_EXAMPLES), "--seed", str(KIT_SEED), "--json", str(report_path),
    ]
    if not schema:
        argv.append("--no-schema")
    started = time.monotonic()
    try:
        finished = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=KIT_TIMEOUT)
    finally:
        server.stop()
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else {"results": []}
    output = finished.stdout[-4000:] + finished.stderr[-4000:]
    return KitRun(target, finished.returncode, report, time.monotonic() - started, output)


def _targets() -> dict[str, tuple]:
    """Every kit run this module knows: (app factory, with the Schemathesis phase?)."""
    targets = {f"correct:{name}": (factory, True) for name, factory in CORRECT_VARIANTS.items()}
    targets.update({entry.name: (entry.build, entry.schema) for entry in CATALOGUE})
    return targets


class KitRuns:
    """Starts the selected runs together; ``get`` waits for one of them."""

    def __init__(self, wanted: list[str]) -> None:
        self.wanted = wanted
        self.folder = Path(tempfile.mkdtemp(prefix="catalogue-kit-"))
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._futures: dict[str, Future] = {}

    def _start(self) -> None:
        targets = _targets()
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="kit")
        for target in self.wanted:
            factory, schema = targets[target]
            self._futures[target] = self._pool.submit(run_kit, target, factory, schema=schema, folder=self.folder)

    def get_started(self) -> None:
        with self._lock:
            if self._pool is None:
                self._start()

    def get(self, target: str) -> KitRun:
        self.get_started()
        return self._futures[target].result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def _selected_kit_targets(session) -> list[str]:
    wanted: list[str] = []
    for item in session.items:
        if getattr(item, "module", None) is None or item.module.__name__ != __name__:
            continue
        if item.originalname in ENTRY_TESTS:
            target = ENTRY_TESTS[item.originalname]
        else:
            spec = getattr(item, "callspec", None)
            target = spec and (spec.params.get("kit_target") or spec.params.get("entry_name"))
        kit_tests = ("test_kit_passes_correct_servers", "test_kit_names_the_rule_of_every_entry", *ENTRY_TESTS)
        if target and item.originalname in kit_tests and target not in wanted:
            wanted.append(target)
    return wanted


@pytest.fixture(scope="module", autouse=True)
def kit_runs(request):
    """Started with the module, so the kit runs overlap with the probe tests."""
    runs = KitRuns(_selected_kit_targets(request.session))
    if runs.wanted:
        runs.get_started()
    yield runs
    runs.close()


@pytest.fixture(scope="module")
def plain_mock():
    server = LiveServer(build())
    yield server
    server.stop()


def client(server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=server.base_url, headers=server.auth, timeout=30)


# --- the catalogue itself ------------------------------------------------------------------------


def test_catalogue_is_large_enough_and_well_formed():
    assert len(CATALOGUE) >= 16
    assert set(PROBES) == set(ENTRY_NAMES)
    for entry in CATALOGUE:
        assert entry.rule in entry.rules and entry.allowed <= RULE_NAMES, entry.name
        assert entry.rule in entry.factory.__doc__, entry.name
        assert entry.defects, entry.name
    single_rule = [entry for entry in CATALOGUE if entry.name != "real_server_today"]
    assert len({entry.defect for entry in single_rule}) == len(single_rule)
    caught_by = {entry.rule for entry in single_rule}
    assert caught_by == RULE_NAMES, f"rules without a catalogue entry: {sorted(RULE_NAMES - caught_by)}"


@pytest.mark.parametrize("name", ENTRY_NAMES)
def test_entry_shows_its_defect_and_the_mock_does_not(name, plain_mock):
    server = LiveServer(CATALOGUE[name].build())
    try:
        with client(server) as http:
            assert PROBES[name](http) is True, f"{name} does not show its defect"
    finally:
        server.stop()
    with client(plain_mock) as http:
        assert PROBES[name](http) is False, f"the probe for {name} also fires on the unmodified mock"


@pytest.mark.parametrize("variant", sorted(CORRECT_VARIANTS))
def test_correct_variants_show_no_catalogued_defect(variant):
    server = LiveServer(CORRECT_VARIANTS[variant]())
    try:
        with client(server) as http:
            fired = [name for name, check in PROBES.items() if name != "real_server_today" and check(http)]
    finally:
        server.stop()
    assert fired == []


# --- the kit against the catalogue ---------------------------------------------------------------


@pytest.mark.parametrize("kit_target", [f"correct:{name}" for name in sorted(CORRECT_VARIANTS)])
def test_kit_passes_correct_servers(kit_target, kit_runs):
    """The unmodified mock, served like the entries, and the variants the contract allows pass."""
    run = kit_runs.get(kit_target)
    assert run.exit_code == 0, run.summary()
    outcomes = {result["rule"]: result["outcome"] for result in run.report["results"]}
    assert outcomes == {rule: "pass" for rule in RULE_NAMES}, run.summary()
    assert run.report["remaining"] == [], run.summary()


@pytest.mark.parametrize("entry_name", ENTRY_NAMES)
def test_kit_names_the_rule_of_every_entry(entry_name, kit_runs):
    entry = CATALOGUE[entry_name]
    run = kit_runs.get(entry_name)
    failed = run.failed
    assert run.exit_code == 1, run.summary()
    assert entry.rules <= set(failed), f"expected {sorted(entry.rules)} to fail\n{run.summary()}"
    assert run.defects(entry.rule) & entry.defects, run.summary()
    unexpected = set(failed) - entry.allowed
    assert not unexpected, f"rules failing for another reason than {entry.name}: {sorted(unexpected)}\n{run.summary()}"
    named = {defect for rule in failed for defect in run.defects(rule)}
    assert not named & WRONG_NAMES.get(entry_name, set()), run.summary()
    crashed = {rule for rule in failed if run.defects(rule) & KIT_CRASH}
    assert not crashed, f"the kit crashed in {sorted(crashed)}\n{run.summary()}"
    if not entry.schema:
        assert run.outcome("schema_conformance") == "not run"


# The real server today (docs/contract.md §10): every piece of evidence the kit gives must point
# at one of its known discrepancies. Evidence is one line of response_schema's list, one failure
# of the Schemathesis phase, or the whole message of any other rule's finding.
NO_OFFSET = r"offset|does not match '\(Z\|z\||does not match \"\(Z\|z\||is not a 'date-time'"
SECTION_10 = {
    "response_schema": rf"connected_endpoints|{NO_OFFSET}",
    "partial_update": r"connected_endpoints",
    "timestamps": NO_OFFSET,
    "name_rules": r"breaks the name rules",
    "configuration_validated": r"configuration",
    "schema_conformance": rf"connected_endpoints|{NO_OFFSET}|name: Value not matching the '\^\[\^/\]\+\$' pattern|name: .*(too short|minLength|at least)",
}


def _evidence(rule: str, message: str) -> list[str]:
    if rule == "response_schema":
        # split on "\n" only: request bodies may hold characters str.splitlines() breaks on
        lines = [line for line in message.split("\n") if line.startswith("[")]
        return [re.split(r" -> \d{3}: ", line)[-1] for line in lines]
    if rule == "schema_conformance":
        blocks = re.split(r"\n(?=(?:GET|POST|PATCH|DELETE|PUT) /)", message.split("\n", 1)[-1])
        return [block for block in blocks if block.strip()]
    return [message]


def test_kit_reports_exactly_the_real_servers_discrepancies(kit_runs):
    run = kit_runs.get("real_server_today")
    assert set(run.failed) == set(SECTION_10), run.summary()
    for rule, result in run.failed.items():
        for finding in result["findings"]:
            assert finding["clause"].startswith("docs/contract.md §"), finding
            assert finding["operation"] and finding["reproduction"], finding
            evidence = _evidence(rule, finding["message"])
            assert evidence, f"{rule}: no evidence in {finding['message']!r}"
            for item in evidence:
                assert re.search(SECTION_10[rule], item), f"{rule} reports something outside §10: {item[:600]}"


def test_a_known_failure_never_hides_a_new_one(kit_runs):
    """Each rule lists every defect it tells apart, each with its own evidence (issue 12 §1)."""
    run = kit_runs.get("real_server_with_patch_regressions")
    assert {"PatchResponseDiffersFromGet", "SentFieldNotApplied"} <= run.defects("partial_update"), run.summary()
    assert {"TimestampWithoutOffset", "UpdatedAtNotAdvanced"} <= run.defects("timestamps"), run.summary()
    for rule in ("partial_update", "timestamps"):
        findings = run.failed[rule]["findings"]
        assert len({f["defect"] for f in findings}) == len(findings), "one finding per defect kind"
        assert all(f["evidence"] and f["reproduction"] for f in findings), findings
    ignored = next(f for f in run.failed["partial_update"]["findings"] if f["defect"] == "SentFieldNotApplied")
    assert ignored["operation"] == "PATCH /models/{name}" and "tags" in ignored["expected"], ignored

