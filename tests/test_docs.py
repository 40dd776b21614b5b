"""The project carries its own contract account (docs/contract.md) and points nowhere outside itself.

Whoever clones the project gets every file it cites: no path outside the repository, and every
clause (``§7.6``) cited in code, tests, messages or docs is a heading of docs/contract.md.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "docs" / "contract.md"
THIS_FILE = Path(__file__).resolve().relative_to(ROOT).as_posix()

# Places that exist only on the machine the project was written on (this file names them to ban them).
MACHINE_PLACES = ("contract-notes", "/work/")
RELATIVE_PATH = re.compile(r"(?:\.\./)+[\w.-][\w./-]*")

CLAUSE = r"\d+[a-z]?(?:\.\d+)*"
# "§7", "§7.6", "§9b.2", "§§3–9", "§1–§5"; a section of an issue or an RFC ("issue 6 §5") is not a clause.
CITATION = re.compile(rf"(?P<elsewhere>(?:issue|rfc)\s*\d+\s*)?§§?\s?(?P<first>{CLAUSE})(?:\s*[–-]\s*§?(?P<last>{CLAUSE}))?", re.IGNORECASE)
HEADING = re.compile(rf"^#+\s+§(?P<clause>{CLAUSE})\s", re.MULTILINE)


def tracked_text_files() -> dict[str, str]:
    """Every file git tracks, as text (binary files have no citations and are left out)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    texts = {}
    for path in filter(None, listed.decode().split("\0")):
        raw = (ROOT / path).read_bytes() if (ROOT / path).is_file() else b""
        if b"\0" not in raw:
            texts[path] = raw.decode("utf-8", errors="replace")
    return texts


def contract_clauses() -> set[str]:
    return {match["clause"] for match in HEADING.finditer(CONTRACT.read_text(encoding="utf-8"))}


def cited_clauses(text: str) -> list[str]:
    """The contract clauses a text cites (both ends of a range)."""
    cited = []
    for match in CITATION.finditer(text):
        if not match["elsewhere"]:
            cited += [clause for clause in (match["first"], match["last"]) if clause]
    return cited


def leaves_the_project(path: str, reference: str) -> bool:
    """Whether a relative path, read from the file at ``path``, climbs out of the repository."""
    target = os.path.normpath(ROOT / Path(path).parent / reference)
    return not target.startswith(str(ROOT) + os.sep)


def outside_references(texts: dict[str, str]) -> list[str]:
    """Lines that name a place outside the project, as ``path:line: text``."""
    return [
        f"{path}:{number}: {line.strip()[:120]}"
        for path, text in texts.items()
        for number, line in enumerate(text.splitlines(), 1)
        if any(place in line for place in MACHINE_PLACES)
        or any(leaves_the_project(path, found) for found in RELATIVE_PATH.findall(line))
    ]


def missing_clauses(texts: dict[str, str], clauses: set[str]) -> list[str]:
    """Citations of clauses that are not headings of the contract, as ``path:line: §clause``."""
    return [
        f"{path}:{number}: §{clause}"
        for path, text in texts.items()
        for number, line in enumerate(text.splitlines(), 1)
        for clause in cited_clauses(line)
        if clause not in clauses
    ]


@pytest.fixture(scope="module")
def tracked() -> dict[str, str]:
    """The project's tracked files, this one (which names what it bans) left out."""
    return {path: text for path, text in tracked_text_files().items() if path != THIS_FILE}


def test_no_tracked_file_points_outside_the_project(tracked):
    found = outside_references(tracked)
    assert not found, "paths outside the project (cite docs/contract.md instead):\n" + "\n".join(found)


def test_every_cited_clause_is_a_heading_of_the_contract(tracked):
    missing = missing_clauses(tracked, contract_clauses())
    assert not missing, "clauses cited but not headings of docs/contract.md:\n" + "\n".join(missing)


def test_the_contract_keeps_the_section_numbers_everyone_cites():
    assert {"1", "2", "3", "4", "5", "6", "7", "8", "9", "9b", "10", "11", "12", "13"} <= contract_clauses()


def test_citations_are_read_as_clauses():
    assert cited_clauses("(docs/contract.md §7.6, §9b.2) and §§3–9, §1–§5") == ["7.6", "9b.2", "3", "9", "1", "5"]
    assert cited_clauses("Issue 2 §2: CORS; RFC 9110 §15.5.6") == []


def test_the_checks_report_an_outside_path_and_an_unknown_clause():
    texts = {"a.py": "ok\nsee ../../notes/x.md", "b.md": "as /work/main says", "c.py": "(docs/contract.md §7.6, §99.1)",
             "docs/d.md": "[the contract](../openapi.yaml)"}
    assert outside_references(texts) == ["a.py:2: see ../../notes/x.md", "b.md:1: as /work/main says"]
    assert missing_clauses(texts, contract_clauses()) == ["c.py:1: §99.1"]
