"""Known discrepancies: a human-edited YAML file of defects a deployment is known to have.

    known:
      - rule: partial_update                 # the rule that finds it
        defect: PatchResponseDiffersFromGet  # the defect it names (one entry, one defect)
        evidence: connected_endpoints        # optional: text the finding must contain
        reason: the PATCH answer omits connected_endpoints (docs/contract.md §10.1)
        expires: 2027-06-30                  # optional: after this day it fails again

Each finding of a run is matched on its own: a finding an entry covers is KNOWN (exit 0 if
all are); any other finding fails the run (exit 1); an entry past its expiry covers nothing.
An entry that matches no finding of a rule that ran to the end is FIXED ("remove it"), a
failure with `--strict-baseline`. `--write-baseline` writes a run's findings as a start.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from conformance.errors import BadOption
from conformance.results import Finding, Outcome, RunReport

SHIPPED = "conformance.baselines"  # the package holding the baselines shipped with the kit
_FIELDS = {"rule", "defect", "evidence", "reason", "expires"}


@dataclass(frozen=True)
class KnownDefect:
    rule: str
    defect: str
    reason: str
    evidence: str = ""
    expires: datetime.date | None = None

    def covers(self, rule: str, finding: Finding) -> bool:
        if (rule, finding.defect) != (self.rule, self.defect):
            return False
        shown = "\n".join([finding.message, finding.actual, *(item.describe() for item in finding.evidence)])
        return self.evidence in shown

    def expired(self, today: datetime.date) -> bool:
        return self.expires is not None and today > self.expires

    def describe(self) -> str:
        return f"{self.rule} / {self.defect}" + (f" ({self.evidence!r})" if self.evidence else "")


def shipped_names() -> list[str]:
    return sorted(item.name.removesuffix(".yaml") for item in resources.files(SHIPPED).iterdir()
                  if item.name.endswith(".yaml"))


def load(source: str | Path) -> list[KnownDefect]:
    """A baseline from a path, or by the name of one shipped with the kit; `BadOption` if malformed."""
    path = Path(source)
    if not path.exists() and str(source) in shipped_names():
        text = resources.files(SHIPPED).joinpath(f"{source}.yaml").read_text(encoding="utf-8")
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise BadOption(f"--baseline {source}: {exc.strerror}; shipped: {', '.join(shipped_names())}") from exc
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BadOption(f"--baseline {source} is not YAML: {exc}") from exc
    entries = document.get("known") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise BadOption(f"--baseline {source} needs a list under 'known:'")
    return [_entry(source, index, item) for index, item in enumerate(entries, 1)]


def _entry(source: str | Path, index: int, item: Any) -> KnownDefect:
    where = f"--baseline {source}, entry {index}"
    if not isinstance(item, dict) or set(item) - _FIELDS:
        raise BadOption(f"{where}: an entry is a mapping of {', '.join(sorted(_FIELDS))}")
    missing = [key for key in ("rule", "defect", "reason") if not isinstance(item.get(key), str) or not item[key]]
    if missing:
        raise BadOption(f"{where}: {', '.join(missing)} must be given (text)")
    expires = item.get("expires")
    if expires is not None and not isinstance(expires, datetime.date):
        raise BadOption(f"{where}: expires must be a date, YYYY-MM-DD")
    evidence = item.get("evidence", "")
    if not isinstance(evidence, str):
        raise BadOption(f"{where}: evidence must be text")
    return KnownDefect(item["rule"], item["defect"], item["reason"], evidence, expires)


def apply(report: RunReport, known: list[KnownDefect], today: datetime.date | None = None) -> None:
    """Mark the findings the baseline covers, and list its entries that no longer fail."""
    today = today or datetime.date.today()
    used: set[KnownDefect] = set()
    for result in report.results:
        for finding in result.findings:
            entry = next((entry for entry in known if entry.covers(result.rule, finding)), None)
            if entry is None:
                continue
            used.add(entry)
            if entry.expired(today):
                finding.expired = f"the baseline entry expired on {entry.expires}: {entry.reason}"
            else:
                finding.known = entry.reason
        if result.findings and all(finding.known for finding in result.findings):
            result.outcome = Outcome.KNOWN
    finished = {  # rules that ran to the end: an entry of theirs that matched nothing is fixed
        result.rule for result in report.results
        if result.outcome in (Outcome.PASS, Outcome.FAIL, Outcome.KNOWN) and not result.reason
    }
    report.fixed = [f"{entry.describe()}: {entry.reason}" for entry in known
                    if entry not in used and entry.rule in finished]


def write(path: str | Path, report: RunReport) -> None:
    """The run's findings as a baseline to start from: one entry per finding."""
    day = datetime.date.today().isoformat()
    entries = [
        {"rule": result.rule, "defect": finding.defect,
         "reason": f"seen on {day} against {report.base_url}: {finding.message.splitlines()[0][:200]}"}
        for result in report.results
        for finding in result.findings
    ]
    header = f"# Known discrepancies of {report.base_url}, written by syft-conformance --write-baseline on {day}.\n"
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(header + yaml.safe_dump({"known": entries}, sort_keys=False, allow_unicode=True),
                          encoding="utf-8")
