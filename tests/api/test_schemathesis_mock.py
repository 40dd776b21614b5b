"""Schemathesis over the whole contract against the mock, with the mock validating its own
answers: positive and negative data, every built-in check, the stateful phase through the
contract's links. Run through the kit's `schema_conformance` rule, the same code QA runs."""

from __future__ import annotations

import re

import pytest

from conformance.options import KitOptions
from conformance.results import Outcome
from conformance.runner import run
from tests.kit import NEVER_BINDS


def schema_run(server, **options):
    report = run(KitOptions(base_url=server.base_url, token=server.token, rules=["schema_conformance"], **options))
    (result,) = report.results
    assert result.outcome is Outcome.PASS, (result.reason, [finding.message for finding in result.findings])
    assert report.remaining == []
    return result


def coverage(result) -> tuple[int, int, int, str]:
    summary = next(note for note in result.notes if note.startswith("Schemathesis:"))
    cases, followed, total = map(int, re.findall(r"(\d+) (?:cases|of|links)", summary))
    return cases, followed, total, summary


def test_schemathesis_finds_nothing_and_follows_the_contracts_links(fresh_server):
    result = schema_run(fresh_server, seed=20261126, examples=250, max_time=NEVER_BINDS)
    cases, followed, total, summary = coverage(result)
    assert total == 6 and followed >= 4, summary
    assert "POST /models/ -> [201]" in summary and "PATCH /models/{name} -> [200]" in summary
    assert cases >= 1000


@pytest.mark.parametrize("tenant", ["acme"])
def test_schemathesis_finds_nothing_in_strict_multi_tenant_mode(start_server, tenant):
    result = schema_run(start_server(strict_tenancy=True), tenant=tenant, seed=7, examples=30, max_time=NEVER_BINDS)
    assert "POST /models/ -> [201]" in coverage(result)[3]
