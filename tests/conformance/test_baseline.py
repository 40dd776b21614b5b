"""Baselines of known discrepancies: each finding matched on its own, KNOWN / FIXED / expired."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conformance import baseline
from conformance.errors import BadOption
from conformance.reports import json_report, junit_report, text_report
from conformance.results import Finding, Outcome, RuleResult, RunReport

SHIPPED = "syft-space-real-server-2026-11"


def a_run(*findings: tuple[str, str, str]) -> RunReport:
    """A run whose rules failed with (rule, defect, message) findings; `timestamps` passed."""
    report = RunReport("http://target/api/v1", None, None, seed=1, prefix="ck-0000000000-")
    by_rule: dict[str, RuleResult] = {}
    for rule, defect, message in findings:
        result = by_rule.setdefault(rule, RuleResult(rule, "Statement (docs/contract.md §7).", Outcome.FAIL))
        result.findings.append(Finding(defect, message))
    report.results = [*by_rule.values(), RuleResult("timestamps", "Statement (docs/contract.md §5).", Outcome.PASS)]
    return report


def a_baseline(tmp_path: Path, text: str) -> list[baseline.KnownDefect]:
    path = tmp_path / "known.yaml"
    path.write_text(text, encoding="utf-8")
    return baseline.load(path)


KNOWN_PATCH = """
known:
  - rule: partial_update
    defect: PatchResponseDiffersFromGet
    evidence: connected_endpoints
    reason: the real server's PATCH answer omits connected_endpoints
"""


def test_failures_the_baseline_lists_are_known_and_exit_0(tmp_path: Path) -> None:
    report = a_run(("partial_update", "PatchResponseDiffersFromGet", "connected_endpoints: [] -> '<missing>'"))
    baseline.apply(report, a_baseline(tmp_path, KNOWN_PATCH))
    assert report.exit_code == 0 and report.results[0].outcome is Outcome.KNOWN
    text = text_report(report)
    assert "KNOWN" in text and "omits connected_endpoints" in text and "CONFORMS" in text
    case = ElementTree.fromstring(junit_report(report)).find("testcase[@name='partial_update']")
    assert case.find("skipped").get("message").startswith("KNOWN: PatchResponseDiffersFromGet")
    assert case.find("properties/property[@name='known']").get("value") == "PatchResponseDiffersFromGet"
    finding = json.loads(json_report(report))["results"][0]["findings"][0]
    assert finding["known"] == "the real server's PATCH answer omits connected_endpoints"


def test_each_defect_is_matched_on_its_own(tmp_path: Path) -> None:
    """A known defect of a rule does not cover another defect of the same rule (issue 12 §1)."""
    report = a_run(
        ("partial_update", "PatchResponseDiffersFromGet", "connected_endpoints: [] -> '<missing>'"),
        ("partial_update", "SentFieldNotApplied", "tags was sent as 'c'"),
    )
    baseline.apply(report, a_baseline(tmp_path, KNOWN_PATCH))
    assert report.exit_code == 1 and report.results[0].outcome is Outcome.FAIL
    assert [f.known != "" for f in report.results[0].findings] == [True, False]
    failure = ElementTree.fromstring(junit_report(report)).find("testcase[@name='partial_update']/failure")
    assert failure.get("type") == "SentFieldNotApplied"


def test_the_evidence_text_must_match(tmp_path: Path) -> None:
    report = a_run(("partial_update", "PatchResponseDiffersFromGet", "summary: 'a' -> 'b'"))
    baseline.apply(report, a_baseline(tmp_path, KNOWN_PATCH))
    assert report.exit_code == 1


def test_an_entry_that_no_longer_fails_is_fixed_and_fails_only_when_strict(tmp_path: Path) -> None:
    report = a_run()
    report.results.append(RuleResult("partial_update", "Statement (docs/contract.md §7).", Outcome.PASS))
    baseline.apply(report, a_baseline(tmp_path, KNOWN_PATCH))
    assert report.fixed == ["partial_update / PatchResponseDiffersFromGet ('connected_endpoints'): "
                            "the real server's PATCH answer omits connected_endpoints"]
    assert report.exit_code == 0 and "remove them from the baseline" in text_report(report)
    report.strict_baseline = True
    assert report.exit_code == 1


def test_an_entry_of_a_rule_that_did_not_run_is_not_fixed(tmp_path: Path) -> None:
    report = a_run()
    report.results.append(RuleResult("partial_update", "S (docs/contract.md §7).", Outcome.NOT_RUN, by_options=True))
    baseline.apply(report, a_baseline(tmp_path, KNOWN_PATCH))
    assert report.fixed == []


def test_an_expired_entry_counts_as_a_failure(tmp_path: Path) -> None:
    report = a_run(("partial_update", "PatchResponseDiffersFromGet", "connected_endpoints: [] -> '<missing>'"))
    known = a_baseline(tmp_path, KNOWN_PATCH + "    expires: 2026-01-31\n")
    baseline.apply(report, known, today=datetime.date(2026, 2, 1))
    assert report.exit_code == 1 and "expired on 2026-01-31" in report.results[0].findings[0].expired
    still = a_run(("partial_update", "PatchResponseDiffersFromGet", "connected_endpoints: [] -> '<missing>'"))
    baseline.apply(still, known, today=datetime.date(2026, 1, 31))
    assert still.exit_code == 0


def test_a_written_baseline_covers_the_run_it_was_written_from(tmp_path: Path) -> None:
    report = a_run(("name_rules", "InvalidNameAccepted", "'' breaks the name rules"),
                   ("partial_update", "SentFieldNotApplied", "tags was sent as 'c'"))
    baseline.write(tmp_path / "written.yaml", report)
    again = a_run(("name_rules", "InvalidNameAccepted", "'' breaks the name rules"),
                  ("partial_update", "SentFieldNotApplied", "tags was sent as 'c'"))
    baseline.apply(again, baseline.load(tmp_path / "written.yaml"))
    assert again.exit_code == 0 and {r.outcome for r in again.results} == {Outcome.KNOWN, Outcome.PASS}


@pytest.mark.parametrize("text", [
    "known: [{rule: partial_update}]",
    "known: [{rule: a, defect: B, reason: c, expires: soon}]",
    "known: [{rule: a, defect: B, reason: c, colour: red}]",
    "known: {rule: a}",
    "known: [",
])
def test_a_malformed_baseline_is_a_bad_option(tmp_path: Path, text: str) -> None:
    with pytest.raises(BadOption):
        a_baseline(tmp_path, text)


def test_the_shipped_baseline_is_found_by_name_and_well_formed() -> None:
    assert SHIPPED in baseline.shipped_names()
    known = baseline.load(SHIPPED)
    assert {entry.rule for entry in known} >= {"partial_update", "timestamps", "name_rules"}
    assert all("docs/contract.md §10" in entry.reason for entry in known)
