"""The faulty-server catalogue: every entry is really faulty, and the kit names its rule.

Two proofs per entry: a direct HTTP probe shows the defect on the entry and not on the mock
(so the entry is faulty for the reason its docstring gives), and the conformance kit, run
against it with a small budget, exits 1 naming the entry's rule. The kit must also pass the
unmodified mock served the same way (response validation off), so the comparison is fair.
"""

from __future__ import annotations

import httpx
import pytest

from tests.catalogue import CATALOGUE, CORRECT_VARIANTS, RULE_NAMES, build
from tests.catalogue.probes import PROBES
from tests.live import LiveServer

ENTRY_NAMES = CATALOGUE.names()


@pytest.fixture(scope="module")
def plain_mock():
    server = LiveServer(build())
    yield server
    server.stop()


def serve(app) -> LiveServer:
    return LiveServer(app)


def test_catalogue_is_large_enough_and_well_formed():
    assert len(CATALOGUE) >= 16
    assert set(PROBES) == set(ENTRY_NAMES)
    for entry in CATALOGUE:
        assert entry.rule in RULE_NAMES and entry.rules <= RULE_NAMES
        assert entry.rule in entry.factory.__doc__, entry.name
    single_rule = [entry for entry in CATALOGUE if entry.name != "real_server_today"]
    assert len({(entry.rule, entry.defect) for entry in single_rule}) == len(single_rule)


@pytest.mark.parametrize("name", ENTRY_NAMES)
def test_entry_shows_its_defect_and_the_mock_does_not(name, plain_mock):
    server = serve(CATALOGUE[name].build())
    try:
        with httpx.Client(base_url=server.base_url, headers=server.auth, timeout=30) as http:
            assert PROBES[name](http) is True, f"{name} does not show its defect"
    finally:
        server.stop()
    with httpx.Client(base_url=plain_mock.base_url, headers=plain_mock.auth, timeout=30) as http:
        assert PROBES[name](http) is False, f"the probe for {name} also fires on the unmodified mock"


@pytest.mark.parametrize("variant", sorted(CORRECT_VARIANTS))
def test_correct_variants_show_no_catalogued_defect(variant):
    server = serve(CORRECT_VARIANTS[variant]())
    try:
        with httpx.Client(base_url=server.base_url, headers=server.auth, timeout=30) as http:
            fired = [name for name, check in PROBES.items() if name != "real_server_today" and check(http)]
    finally:
        server.stop()
    assert fired == []
