"""Report formats and exit codes, from a hand-made run."""

from __future__ import annotations

import json
from xml.etree import ElementTree

from conformance.options import KitOptions
from conformance.reports import json_report, junit_report, text_report
from conformance.results import Evidence, Finding, Outcome, RuleResult, RunReport


def a_finding(defect: str = "UnsentFieldChanged") -> Finding:
    return Finding(
        defect=defect,
        message="tags: 'a' -> ''",
        operation="PATCH /models/{name}",
        expected="tags unchanged",
        actual="tags ''",
        clause="docs/contract.md §7",
        evidence=[Evidence("PATCH", "http://target/api/v1/models/x", '{"summary": ""}', 200, '{"tags": ""}')],
        counterexample="Falsifying example: example(body={'summary': ''})",
        reproduction="curl -sS -X PATCH http://target/api/v1/models/x  # answered 200",
    )


def a_report(*outcomes: Outcome, interrupted: bool = False) -> RunReport:
    report = RunReport("http://target/api/v1", None, None, seed=7, prefix="ck-0123456789-", interrupted=interrupted)
    for index, outcome in enumerate(outcomes):
        result = RuleResult(f"rule_{index}", f"Statement {index} (docs/contract.md §7).", outcome)
        if outcome is Outcome.FAIL:
            result.findings = [a_finding(), a_finding("PatchResponseDiffersFromGet")]
        if outcome is Outcome.NOT_RUN:
            result.reason, result.by_options = "needs a second tenant (--other-tenant)", True
        if outcome is Outcome.INCOMPLETE:
            result.reason = "the time budget (--max-time) ended generation after 3 of 20 examples"
        report.results.append(result)
    return report


def test_exit_code_is_0_when_all_pass_1_on_a_failure_2_when_interrupted() -> None:
    assert a_report(Outcome.PASS, Outcome.NOT_RUN).exit_code == 0
    assert a_report(Outcome.PASS, Outcome.FAIL).exit_code == 1
    assert a_report(Outcome.PASS, interrupted=True).exit_code == 2


def test_green_only_when_everything_selected_was_judged() -> None:
    cut = a_report(Outcome.PASS, Outcome.INCOMPLETE)
    assert cut.exit_code == 2 and cut.verdict == "INCOMPLETE"
    assert cut.unjudged == ["rule_1: the time budget (--max-time) ended generation after 3 of 20 examples"]
    assert a_report(Outcome.FAIL, Outcome.INCOMPLETE).exit_code == 1  # a failure anywhere is 1
    target_said_no = a_report(Outcome.PASS, Outcome.NOT_RUN)
    target_said_no.results[1].by_options = False
    assert target_said_no.exit_code == 2 and target_said_no.unjudged
    text = text_report(cut)
    assert "INCOMPLETE (exit 2" in text and "ended generation after 3 of 20" in text
    assert "1 passed, 0 failed, 1 cut short, 0 not run" in text
    data = json.loads(json_report(cut))
    assert data["verdict"] == "INCOMPLETE" and data["unjudged"] == cut.unjudged
    suite = ElementTree.fromstring(junit_report(cut))
    assert suite.find("testcase[@name='rule_1']/skipped").get("message").startswith("incomplete: ")
    assert suite.find("properties/property[@name='verdict']").get("value") == "INCOMPLETE"


def test_junit_has_one_testcase_per_rule_with_failure_and_skipped() -> None:
    suite = ElementTree.fromstring(junit_report(a_report(Outcome.PASS, Outcome.FAIL, Outcome.NOT_RUN)))
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == ["rule_0", "rule_1", "rule_2"]
    assert suite.get("tests") == "3" and suite.get("failures") == "1" and suite.get("skipped") == "1"
    assert cases[0].find("failure") is None and cases[0].find("skipped") is None
    failure = cases[1].find("failure")
    assert failure.get("type") == "UnsentFieldChanged, PatchResponseDiffersFromGet"
    assert "Falsifying example" in failure.text and "curl" in failure.text
    assert "docs/contract.md §7" in failure.text and "PATCH /models/{name}" in failure.text
    defects = [p.get("value") for p in cases[1].find("properties").findall("property") if p.get("name") == "defect"]
    assert defects == ["UnsentFieldChanged", "PatchResponseDiffersFromGet"]
    assert cases[2].find("skipped").get("message") == "needs a second tenant (--other-tenant)"


def test_json_report_carries_every_result_and_the_exit_code() -> None:
    report = a_report(Outcome.FAIL, Outcome.PASS)
    report.remaining = [("acme", "ck-0123456789-x", "DELETE answered 500")]
    data = json.loads(json_report(report))
    assert data["exit_code"] == 1 and data["seed"] == 7
    assert [r["outcome"] for r in data["results"]] == ["fail", "pass"]
    first, second = data["results"][0]["findings"]
    assert second["defect"] == "PatchResponseDiffersFromGet"
    assert first == {
        "defect": "UnsentFieldChanged", "message": "tags: 'a' -> ''", "operation": "PATCH /models/{name}",
        "expected": "tags unchanged", "actual": "tags ''", "clause": "docs/contract.md §7",
        "evidence": [{"method": "PATCH", "url": "http://target/api/v1/models/x", "request_body": '{"summary": ""}',
                      "status": 200, "response_body": '{"tags": ""}'}],
        "counterexample": "Falsifying example: example(body={'summary': ''})",
        "reproduction": "curl -sS -X PATCH http://target/api/v1/models/x  # answered 200",
        "known": "", "expired": "",
    }
    assert data["remaining"] == [{"tenant": "acme", "name": "ck-0123456789-x", "why": "DELETE answered 500"}]


def test_text_report_tables_every_rule_and_details_failures_and_leftovers() -> None:
    report = a_report(Outcome.PASS, Outcome.FAIL, Outcome.NOT_RUN)
    report.remaining = [(None, "ck-0123456789-y", "still listed after DELETE")]
    text = text_report(report)
    assert "rule_0  pass" in text and "rule_1  FAIL     UnsentFieldChanged, PatchResponseDiffersFromGet" in text
    assert "== rule_1: UnsentFieldChanged (docs/contract.md §7)" in text
    assert "== rule_1: PatchResponseDiffersFromGet (docs/contract.md §7)" in text
    assert "operation: PATCH /models/{name}" in text and "expected: tags unchanged" in text
    assert 'PATCH http://target/api/v1/models/x {"summary": ""} -> 200 {"tags": ""}' in text
    assert "rule_2  not run  needs a second tenant" in text
    assert "Smallest counterexample" in text and "export TOKEN=" in text
    assert "could NOT delete" in text and "ck-0123456789-y" in text
    assert "1 passed, 1 failed, 0 cut short, 1 not run" in text


def test_a_run_stopped_by_its_time_budget_says_so_and_not_interrupted(monkeypatch) -> None:
    """The budget's hard stop leaves every rule not yet judged with the budget as its reason."""
    from conformance import runner
    from conformance.client import RunOutOfTime

    def out_of_time(*_args, **_kwargs):
        raise RunOutOfTime("the run's time budget (--max-time) is used up")

    monkeypatch.setattr(runner, "run_rule", out_of_time)
    monkeypatch.setattr(runner, "open_run", lambda options: _StubRun())
    monkeypatch.setattr(runner, "finish", lambda run_context, report: None)
    report = runner.run(KitOptions(base_url="http://target/api/v1", token="k", rules=["partial_update", "delete"]))
    assert not report.interrupted
    assert report.exit_code == 2
    assert report.unjudged and all("time budget" in reason for reason in report.unjudged)


class _StubRun:
    seed = 7
    prefix = "ck-0123456789-"
