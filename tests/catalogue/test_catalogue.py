"""The faulty-server catalogue: every entry is really faulty, and the kit names its rule.

Two proofs per entry, both driven by the catalogue itself. The entry's probe shows the defect
on the entry and not on the mock, so the entry is faulty for the reason its docstring gives.
The conformance kit, run through its command-line entry point against the entry with a small
number of examples, exits 1, names the entry's rule with one of the expected defects, and fails
no rule outside the entry's allowed set. The kit must pass (exit 0, every rule run) the
unmodified mock served the same way (response validation off), and the correct variants, so
the comparison is fair.

A test that takes a ``kit_target`` parameter gets the kit's run against that server (started
early, together with the others: see ``conftest.py``).
"""

from __future__ import annotations

import json
import re

import pytest

from conformance import baseline
from conformance.reports import text_report
from conformance.results import RunReport
from tests.catalogue import CATALOGUE, CORRECT_VARIANTS
from tests.catalogue.probing import has_offset
from tests.kit import RULE_NAMES
from tests.live import LiveServer

KIT_CRASH = {"UnexpectedAnswer"}  # the kit's name for "a rule raised something it did not expect"


def _named(servers) -> dict:
    return {"argvalues": list(servers), "ids": [server.name for server in servers]}


# --- the catalogue itself ------------------------------------------------------------------------


def test_catalogue_is_large_enough_and_well_formed():
    assert len(CATALOGUE) >= 16
    names = [server.name for server in (*CATALOGUE, *CORRECT_VARIANTS)]
    assert len(names) == len(set(names)), "every server the kit runs against needs a name of its own"
    for entry in CATALOGUE:
        assert entry.rule in entry.rules and entry.allowed <= RULE_NAMES, entry.name
        assert entry.rule in entry.probe.__doc__, entry.name
        assert entry.defects, entry.name
    assert len({entry.defect for entry in CATALOGUE}) == len(CATALOGUE)
    caught_by = {entry.rule for entry in CATALOGUE}
    assert caught_by == RULE_NAMES, f"rules without a catalogue entry: {sorted(RULE_NAMES - caught_by)}"


@pytest.mark.parametrize("entry", **_named(CATALOGUE))
def test_entry_shows_its_defect_and_the_mock_does_not(entry, plain_mock):
    server = LiveServer(entry.build())
    try:
        with server.client() as http:
            assert entry.probe(http) is True, f"{entry.name} does not show its defect"
    finally:
        server.stop()
    with plain_mock.client() as http:
        assert entry.probe(http) is False, f"the probe for {entry.name} also fires on the unmodified mock"


@pytest.mark.parametrize("variant", **_named(CORRECT_VARIANTS))
def test_correct_variants_show_no_catalogued_defect(variant):
    server = LiveServer(variant.build())
    try:
        with server.client() as http:
            fired = [entry.name for entry in CATALOGUE if entry.probe(http)]
    finally:
        server.stop()
    assert fired == []


# --- the kit against the catalogue ---------------------------------------------------------------


@pytest.mark.parametrize("kit_target", **_named(CORRECT_VARIANTS))
def test_kit_passes_correct_servers(kit_target, kit_runs):
    """The unmodified mock, served like the entries, and the variants the contract allows pass."""
    run = kit_runs.get(kit_target)
    assert run.exit_code == 0, run.summary()
    outcomes = {result["rule"]: result["outcome"] for result in run.report["results"]}
    assert outcomes == {rule: "pass" for rule in RULE_NAMES}, run.summary()
    assert run.report["remaining"] == [], run.summary()


@pytest.mark.parametrize("kit_target", **_named(CATALOGUE))
def test_kit_names_the_rule_of_every_entry(kit_target, kit_runs):
    entry = kit_target
    run = kit_runs.get(entry)
    failed = run.failed
    assert run.exit_code == 1, run.summary()
    assert entry.rules <= set(failed), f"expected {sorted(entry.rules)} to fail\n{run.summary()}"
    assert run.defects(entry.rule) & entry.defects, run.summary()
    unexpected = set(failed) - entry.allowed
    assert not unexpected, f"rules failing for another reason than {entry.name}: {sorted(unexpected)}\n{run.summary()}"
    named = {defect for rule in failed for defect in run.defects(rule)}
    assert not named & entry.never, run.summary()
    crashed = {rule for rule in failed if run.defects(rule) & KIT_CRASH}
    assert not crashed, f"the kit crashed in {sorted(crashed)}\n{run.summary()}"
    if not entry.schema:
        assert run.outcome("schema_conformance") == "not run"


# The real server today (docs/contract.md §10): every finding the kit gives must point at one of
# its known discrepancies. Each finding is judged on its fields: its defect, its operation, and
# the exchanges it gives as evidence (method, request and response bodies, status).


def _json(text: str | None):
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _stamps(body) -> list[str]:
    items = body if isinstance(body, list) else [body]
    return [item[field] for item in items if isinstance(item, dict)
            for field in ("created_at", "updated_at") if isinstance(item.get(field), str)]


def _without_offset(exchange: dict) -> bool:
    """The answer carries a timestamp without a UTC offset."""
    return any(not has_offset(stamp) for stamp in _stamps(_json(exchange["response_body"])))


def _answer_without_endpoints(exchange: dict) -> bool:
    """A PATCH answered 200, or a create answered 201, without connected_endpoints."""
    body = _json(exchange["response_body"])
    return (exchange["method"], exchange["status"]) in (("PATCH", 200), ("POST", 201)) \
        and isinstance(body, dict) and "connected_endpoints" not in body


def _sends_a_forbidden_name(exchange: dict) -> bool:
    """The request names a model "", "types", "." or "..", or a name with "/" in it."""
    name = (_json(exchange["request_body"]) or {}).get("name")
    return isinstance(name, str) and (name in ("", "types", ".", "..") or "/" in name)


def _has_lone_surrogate(value) -> bool:
    if isinstance(value, str):
        return any(0xD800 <= ord(char) <= 0xDFFF for char in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(item) for item in value.values())
    return isinstance(value, list) and any(_has_lone_surrogate(item) for item in value)


def _sends_a_lone_surrogate(exchange: dict) -> bool:
    """The request body holds a lone surrogate (answered 500, or poisoning the list after it)."""
    return _has_lone_surrogate(_json(exchange["request_body"]))


def _finding_shows(defect: str, operation: str | None, *, each=None, some=None):
    """A check of one finding: its defect, its operation (if given), and its evidence exchanges
    (``each`` must hold for every one, ``some`` for at least one)."""

    def check(finding: dict) -> bool:
        evidence = finding["evidence"]
        return (
            finding["defect"] == defect
            and operation in (None, finding["operation"])
            and bool(evidence)
            and (each is None or all(each(exchange) for exchange in evidence))
            and (some is None or any(some(exchange) for exchange in evidence))
        )

    return check


SECTION_10 = {
    "response_schema": lambda finding: _finding_shows(
        "ResponseShapeMismatch", None, each=lambda ex: _without_offset(ex) or _answer_without_endpoints(ex))(finding)
        or _finding_shows("UndocumentedStatus", None, each=lambda ex: ex["status"] == 500)(finding),
    # its evidence is the GET; `actual` lists the fields the PATCH response had otherwise
    "partial_update": lambda finding: (
        _finding_shows("PatchResponseDiffersFromGet", "PATCH /models/{name}")(finding)
        and {change.split(":", 1)[0] for change in finding["actual"].split("; ")} == {"connected_endpoints"}),
    "timestamps": _finding_shows("TimestampWithoutOffset", None, some=_without_offset),
    "name_rules": _finding_shows("InvalidNameAccepted", None, some=_sends_a_forbidden_name),
    "configuration_validated": lambda finding: (
        finding["defect"] == "InvalidConfigurationAccepted" and finding["operation"] == "POST /models/"
        and finding["actual"] == "201" and bool(finding["evidence"])),
    "create_stored": _finding_shows("CreateResponseDiffersFromGet", "POST /models/", some=_answer_without_endpoints),
    "stored_data_readable": lambda finding: finding["defect"] in ("ServerError", "StoredDataUnreadable")
        and _finding_shows(finding["defect"], None, some=_sends_a_lone_surrogate)(finding),
    "method_not_allowed": lambda finding: finding["defect"] == "AllowHeaderWrong" and finding["actual"] == "POST",
    "schema_conformance": lambda finding: finding["defect"] == "SchemaCheckFailed"
        and re.search(SCHEMATHESIS_SECTION_10, finding["message"]) is not None,
}
# Each Schemathesis failure is a finding of its own, in Schemathesis' words, which must concern a
# §10 point (the offset, connected_endpoints, the forbidden names).
SCHEMATHESIS_SECTION_10 = (
    r"connected_endpoints|does not match \"\(Z\|z\||is not a 'date-time'"
    r"|name: Value not matching the '\^\[\^/\]\+\$' pattern|name: .*(too short|minLength|at least)"
)


@pytest.mark.parametrize("kit_target", **_named([CATALOGUE["real_server_today"]]))
def test_kit_reports_exactly_the_real_servers_discrepancies(kit_target, kit_runs):
    run = kit_runs.get(kit_target)
    assert set(run.failed) == set(SECTION_10), run.summary()
    for rule, result in run.failed.items():
        assert result["findings"], f"{rule} failed without a finding"
        for finding in result["findings"]:
            assert finding["clause"].startswith("docs/contract.md §"), finding
            assert finding["operation"] and finding["reproduction"], finding
            assert SECTION_10[rule](finding), f"{rule} reports something outside §10: {json.dumps(finding)[:1500]}"
    shapes = next(f for f in run.failed["response_schema"]["findings"] if f["defect"] == "ResponseShapeMismatch")
    assert re.match(r"\d+ responses break the contract \((the first 10|all of them) below\):\n", shapes["message"])


@pytest.mark.parametrize("kit_target", **_named([CATALOGUE["real_server_with_patch_regressions"]]))
def test_a_known_failure_never_hides_a_new_one(kit_target, kit_runs):
    """Each rule lists every defect it tells apart, each with its own evidence (issue 12 §1)."""
    run = kit_runs.get(kit_target)
    assert {"PatchResponseDiffersFromGet", "SentFieldNotApplied"} <= run.defects("partial_update"), run.summary()
    assert {"TimestampWithoutOffset", "UpdatedAtNotAdvanced"} <= run.defects("timestamps"), run.summary()
    for rule in ("partial_update", "timestamps"):
        findings = run.failed[rule]["findings"]
        assert len({f["defect"] for f in findings}) == len(findings), "one finding per defect kind"
        assert all(f["evidence"] and f["reproduction"] for f in findings), findings
    ignored = next(f for f in run.failed["partial_update"]["findings"] if f["defect"] == "SentFieldNotApplied")
    assert ignored["operation"] == "PATCH /models/{name}" and "tags" in ignored["expected"], ignored


SHIPPED_BASELINE = "syft-space-real-server-2026-11"


@pytest.mark.parametrize("kit_target", **_named([CATALOGUE["real_server_today"]]))
def test_the_shipped_baseline_covers_the_real_server_today(kit_target, kit_runs):
    """With the baseline shipped for it, today's real server passes: every failure KNOWN, none FIXED."""
    report = RunReport.from_json(kit_runs.get(kit_target).report)
    baseline.apply(report, baseline.load(SHIPPED_BASELINE))
    assert report.exit_code == 0, text_report(report)
    assert report.fixed == [], report.fixed
    assert {result.outcome for result in report.results} == {"pass", "known"}


@pytest.mark.parametrize("kit_target", **_named([CATALOGUE["real_server_with_a_crash_only_schemathesis_finds"]]))
def test_the_shipped_baseline_lets_no_new_schemathesis_failure_through(kit_target, kit_runs):
    """Each Schemathesis failure is a finding of its own: the baseline's entries for the real
    server's known ones do not cover a new one beside them (issue 6 §3); exit 1, naming it."""
    report = RunReport.from_json(kit_runs.get(kit_target).report)
    baseline.apply(report, baseline.load(SHIPPED_BASELINE))
    new = [(result.rule, finding) for result in report.failed for finding in result.findings if not finding.known]
    assert report.exit_code == 1, text_report(report)
    assert new and all(rule == "schema_conformance" and finding.operation.startswith("TRACE /")
                       for rule, finding in new), text_report(report)
    assert "Server error" in {finding.actual for _, finding in new}, text_report(report)
    assert all(finding.reproduction and finding.evidence for _, finding in new), new
    known = [f for result in report.results if result.rule == "schema_conformance" for f in result.findings if f.known]
    assert known, "the real server's own Schemathesis failures are still KNOWN"


@pytest.mark.parametrize("kit_target", **_named([CATALOGUE["real_server_with_patch_regressions"]]))
def test_the_shipped_baseline_lets_no_new_defect_through(kit_target, kit_runs):
    """One more defect in rules the real server already fails: exit 1, naming only the new ones."""
    report = RunReport.from_json(kit_runs.get(kit_target).report)
    baseline.apply(report, baseline.load(SHIPPED_BASELINE))
    new = {(result.rule, finding.defect) for result in report.failed for finding in result.findings if not finding.known}
    assert report.exit_code == 1
    # PATCH ignoring tags also keeps a hostile tags value from reading back (stored_data_readable)
    assert new == {("partial_update", "SentFieldNotApplied"), ("timestamps", "UpdatedAtNotAdvanced"),
                   ("stored_data_readable", "StoredValueChanged")}, text_report(report)

