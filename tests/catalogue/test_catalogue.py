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

import re

import pytest

from tests.catalogue import CATALOGUE, CORRECT_VARIANTS
from tests.kit import RULE_NAMES
from tests.live import LiveServer

KIT_CRASH = {"UnexpectedAnswer"}  # the kit's name for "a rule raised something it did not expect"
# The defect named is the defect seen: names these entries must never get, from any rule.
WRONG_NAMES = {
    "delete_answers_empty_object": {"DeletedModelStillThere"},
    "missing_model_is_409": {"TenantLeak", "DeletedModelStillThere", "PhantomModelCreated", "RenameNotFollowed"},
}


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
    assert not named & WRONG_NAMES.get(entry.name, set()), run.summary()
    crashed = {rule for rule in failed if run.defects(rule) & KIT_CRASH}
    assert not crashed, f"the kit crashed in {sorted(crashed)}\n{run.summary()}"
    if not entry.schema:
        assert run.outcome("schema_conformance") == "not run"


# The real server today (docs/contract.md §10): every piece of evidence the kit gives must point
# at one of its known discrepancies. Evidence is one line of response_schema's list, one failure
# of the Schemathesis phase, or the whole message of any other rule's finding.
NO_OFFSET = r"offset|does not match '\(Z\|z\||does not match \"\(Z\|z\||is not a 'date-time'"
SECTION_10 = {
    "response_schema": rf"connected_endpoints|{NO_OFFSET}|status 500 is not documented",
    "partial_update": r"connected_endpoints",
    "timestamps": NO_OFFSET,
    "name_rules": r"breaks the name rules",
    "configuration_validated": r"configuration",
    "create_stored": r"connected_endpoints",
    "stored_data_readable": r"surrogate",
    "method_not_allowed": r"Allow: 'POST'",
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


@pytest.mark.parametrize("kit_target", **_named([CATALOGUE["real_server_today"]]))
def test_kit_reports_exactly_the_real_servers_discrepancies(kit_target, kit_runs):
    run = kit_runs.get(kit_target)
    assert set(run.failed) == set(SECTION_10), run.summary()
    for rule, result in run.failed.items():
        for finding in result["findings"]:
            assert finding["clause"].startswith("docs/contract.md §"), finding
            assert finding["operation"] and finding["reproduction"], finding
            evidence = _evidence(rule, finding["message"])
            assert evidence, f"{rule}: no evidence in {finding['message']!r}"
            for item in evidence:
                assert re.search(SECTION_10[rule], item), f"{rule} reports something outside §10: {item[:600]}"


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
