"""The three forms of a run's report: a table for people, JUnit XML for CI, JSON for machines.

Every form lists every finding of every rule with its fields: the defect, the operation, what
the contract expected and what the target did, the clause, the evidence, the reproduction.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict
from pathlib import Path
from xml.etree import ElementTree

from conformance.results import Finding, Outcome, RunReport

_MARK = {Outcome.PASS: "pass", Outcome.FAIL: "FAIL", Outcome.NOT_RUN: "not run"}


def tenant_label(tenant: str | None) -> str:
    return "the default tenant" if tenant is None else f"tenant {tenant!r}"


def render_finding(finding: Finding) -> str:
    """One finding as text: the defect and its clause, then its details."""
    return f"{finding.defect}" + (f" ({finding.clause})" if finding.clause else "") + "\n" + finding_details(finding)


def finding_details(finding: Finding) -> str:
    """A finding's fields, message, evidence, counterexample and reproduction."""
    lines = []
    for label, value in (("operation", finding.operation), ("expected", finding.expected), ("actual", finding.actual)):
        if value:
            lines.append(f"  {label}: {value}")
    lines += ["", textwrap.indent(finding.message, "  ")]
    if finding.evidence:
        lines += ["", "  Evidence:"] + [textwrap.indent(item.describe(), "    ") for item in finding.evidence]
    if finding.counterexample:
        lines += ["", "  Smallest counterexample:", textwrap.indent(finding.counterexample, "    ")]
    if finding.reproduction:
        lines += ["", "  Reproduce (export TOKEN=<admin key> first):", textwrap.indent(finding.reproduction, "    ")]
    return "\n".join(lines)


def text_report(report: RunReport) -> str:
    width = max([len(result.rule) for result in report.results] + [4])
    lines = [
        f"Conformance of {report.base_url} ({tenant_label(report.tenant)})  seed {report.seed}  prefix {report.prefix}",
        "",
        f"{'rule'.ljust(width)}  result   details",
        f"{'-' * width}  -------  -------",
    ]
    for result in report.results:
        details = ", ".join(result.defects) if result.outcome is Outcome.FAIL else result.reason
        details = "; ".join(part for part in [details, *result.notes] if part)
        lines.append(f"{result.rule.ljust(width)}  {_MARK[result.outcome].ljust(7)}  {details}")
    for result in report.failed:
        for finding in result.findings:
            clause = f" ({finding.clause})" if finding.clause else ""
            lines += ["", f"== {result.rule}: {finding.defect}{clause}", f"   {result.statement}"]
            lines.append(textwrap.indent(finding_details(finding), " "))
    lines.append("")
    if report.remaining:
        lines.append("Resources the kit created and could NOT delete:")
        lines += [f"  {tenant_label(tenant)}: {name!r} - {why}" for tenant, name, why in report.remaining]
    else:
        lines.append("Cleanup: every model the kit created was deleted.")
    counts = {outcome: sum(r.outcome is outcome for r in report.results) for outcome in Outcome}
    verdict = "interrupted" if report.interrupted else ("CONFORMS" if not report.failed else "DOES NOT CONFORM")
    lines.append(
        f"{counts[Outcome.PASS]} passed, {counts[Outcome.FAIL]} failed, {counts[Outcome.NOT_RUN]} not run "
        f"in {report.seconds:.1f}s: {verdict} (rerun with --seed {report.seed})"
    )
    return "\n".join(lines)


def junit_report(report: RunReport) -> str:
    """One testcase per rule: a failure element listing every defect found, skipped for not run."""
    suite = ElementTree.Element(
        "testsuite",
        name="syft-conformance",
        tests=str(len(report.results)),
        failures=str(len(report.failed)),
        skipped=str(sum(r.outcome is Outcome.NOT_RUN for r in report.results)),
        time=f"{report.seconds:.3f}",
    )
    for result in report.results:
        case = ElementTree.SubElement(
            suite, "testcase", classname="conformance", name=result.rule, time=f"{result.seconds:.3f}"
        )
        if result.outcome is Outcome.FAIL:
            properties = ElementTree.SubElement(case, "properties")
            for finding in result.findings:
                ElementTree.SubElement(properties, "property", name="defect", value=finding.defect)
            summary = "; ".join(f"{finding.defect}: {finding.message.split(chr(10))[0]}" for finding in result.findings)
            failure = ElementTree.SubElement(case, "failure", type=", ".join(result.defects), message=summary[:500])
            failure.text = "\n\n".join(render_finding(finding) for finding in result.findings)
        elif result.outcome is Outcome.NOT_RUN:
            ElementTree.SubElement(case, "skipped", message=result.reason)
    return ElementTree.tostring(suite, encoding="unicode", xml_declaration=True)


def json_report(report: RunReport) -> str:
    data = asdict(report)
    data["exit_code"] = report.exit_code
    data["remaining"] = [{"tenant": t, "name": n, "why": w} for t, n, w in report.remaining]
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def write(path: str | Path, text: str) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")
