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

from conformance.options import tenant_label
from conformance.results import Finding, Outcome, RunReport

_MARK = {Outcome.PASS: "pass", Outcome.FAIL: "FAIL", Outcome.KNOWN: "known", Outcome.INCOMPLETE: "CUT",
         Outcome.NOT_RUN: "not run"}


def render_finding(finding: Finding) -> str:
    """One finding as text: the defect and its clause, then its details."""
    return f"{finding.defect}" + (f" ({finding.clause})" if finding.clause else "") + "\n" + finding_details(finding)


def finding_details(finding: Finding) -> str:
    """A finding's fields, message, evidence, counterexample and reproduction."""
    lines = []
    for label, value in (("operation", finding.operation), ("expected", finding.expected), ("actual", finding.actual)):
        if value:
            lines.append(f"  {label}: {value}")
    if finding.expired:
        lines.append(f"  baseline: {finding.expired}")
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
        defects = ", ".join(f.defect + (" (known)" if f.known else "") for f in result.findings)
        details = "; ".join(part for part in [defects, result.reason, *result.notes] if part)
        lines.append(f"{result.rule.ljust(width)}  {_MARK[result.outcome].ljust(7)}  {details}")
    for result in report.failed:
        for finding in (finding for finding in result.findings if not finding.known):
            clause = f" ({finding.clause})" if finding.clause else ""
            lines += ["", f"== {result.rule}: {finding.defect}{clause}", f"   {result.statement}"]
            lines.append(textwrap.indent(finding_details(finding), " "))
    lines.append("")
    if report.remaining:
        lines.append("Resources the kit created and could NOT delete:")
        lines += [f"  {tenant_label(tenant)}: {name!r} - {why}" for tenant, name, why in report.remaining]
    elif report.read_only:
        lines.append("Cleanup: nothing to delete; a read-only run creates nothing.")
    else:
        lines.append("Cleanup: every model the kit created was deleted.")
    known = [(result.rule, finding) for result in report.results for finding in result.findings if finding.known]
    if known:
        lines += ["", "KNOWN (listed in the baseline, not counted as failures):"]
        lines += [f"  {rule} / {finding.defect}: {finding.known}" for rule, finding in known]
    if report.fixed:
        lines += ["", "FIXED: these baseline entries no longer fail; remove them from the baseline:"]
        lines += [f"  {entry}" for entry in report.fixed]
    unjudged = report.unjudged
    if unjudged:
        lines += ["", "Not judged, so the verdict cannot be CONFORMS:", *[f"  {reason}" for reason in unjudged]]
    counts = {outcome: sum(r.outcome is outcome for r in report.results) for outcome in Outcome}
    lines.append(
        f"{counts[Outcome.PASS]} passed, {counts[Outcome.FAIL]} failed, "
        + (f"{counts[Outcome.KNOWN]} known, " if counts[Outcome.KNOWN] else "")
        + f"{counts[Outcome.INCOMPLETE]} cut short, "
        f"{counts[Outcome.NOT_RUN]} not run in {report.seconds:.1f}s: {report.verdict} "
        f"(exit {report.exit_code}; rerun with --seed {report.seed})"
    )
    return "\n".join(lines)


def junit_report(report: RunReport) -> str:
    """One testcase per rule: a failure element listing every defect found, skipped for not run."""
    suite = ElementTree.Element(
        "testsuite",
        name="syft-conformance",
        tests=str(len(report.results)),
        failures=str(len(report.failed)),
        skipped=str(sum(r.outcome in (Outcome.NOT_RUN, Outcome.INCOMPLETE, Outcome.KNOWN) for r in report.results)),
        time=f"{report.seconds:.3f}",
    )
    for result in report.results:
        case = ElementTree.SubElement(
            suite, "testcase", classname="conformance", name=result.rule, time=f"{result.seconds:.3f}"
        )
        if result.findings:
            properties = ElementTree.SubElement(case, "properties")
            for finding in result.findings:
                kind = "known" if finding.known else "defect"
                ElementTree.SubElement(properties, "property", name=kind, value=finding.defect)
        new = [finding for finding in result.findings if not finding.known]
        if result.outcome is Outcome.FAIL:
            summary = "; ".join(f"{finding.defect}: {finding.message.split(chr(10))[0]}" for finding in new)
            failure = ElementTree.SubElement(
                case, "failure", type=", ".join(f.defect for f in new), message=summary[:500]
            )
            failure.text = "\n\n".join(render_finding(finding) for finding in new)
        elif result.outcome is Outcome.KNOWN:
            known = "; ".join(f"{finding.defect}: {finding.known}" for finding in result.findings)
            ElementTree.SubElement(case, "skipped", message=f"KNOWN: {known}"[:1000])
        elif result.outcome is Outcome.INCOMPLETE:
            ElementTree.SubElement(case, "skipped", message=f"incomplete: {result.reason}")
        elif result.outcome is Outcome.NOT_RUN:
            judged = "" if result.by_options else " (the verdict is incomplete)"
            ElementTree.SubElement(case, "skipped", message=result.reason + judged)
    properties = ElementTree.SubElement(suite, "properties")
    ElementTree.SubElement(properties, "property", name="verdict", value=str(report.verdict))
    ElementTree.SubElement(properties, "property", name="exit_code", value=str(report.exit_code))
    for entry in report.fixed:
        ElementTree.SubElement(properties, "property", name="fixed", value=entry)
    return ElementTree.tostring(suite, encoding="unicode", xml_declaration=True)


def json_report(report: RunReport) -> str:
    data = asdict(report)
    data["verdict"] = str(report.verdict)
    data["exit_code"] = report.exit_code
    data["unjudged"] = report.unjudged
    data["remaining"] = [{"tenant": t, "name": n, "why": w} for t, n, w in report.remaining]
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def write(path: str | Path, text: str) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")
