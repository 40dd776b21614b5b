"""The kit's generated values stay within the contract's length bounds (docs/contract.md §12),
so a deployment without bounds fails the `length_limits` rule only, and one with them never
sees a generated value it must refuse for its length."""

from __future__ import annotations

from hypothesis import given, settings

from conformance.contract import Contract
from conformance.field_bounds import max_lengths, without_max_lengths
from conformance.strategies import field_text, name_suffixes
from conformance.tracker import new_run_prefix
from tests.kit import RULE_NAMES

DOCUMENT = Contract.load().document
BOUNDS = max_lengths(DOCUMENT, "ModelCreate")
# The longest name a rule builds: the run's prefix, the rule's name, "-", and a rename's "new-".
LONGEST_START = len(new_run_prefix()) + max(len(name) for name in RULE_NAMES) + len("-new-")


def test_the_contract_bounds_every_updatable_string():
    assert set(BOUNDS) == {"name", "summary", "tags"}
    assert max_lengths(DOCUMENT, "ModelUpdate") == BOUNDS


@settings(max_examples=150, deadline=None)
@given(name_suffixes())
def test_generated_names_fit_the_name_bound(suffix):
    assert LONGEST_START + len(suffix) <= BOUNDS["name"]


@settings(max_examples=150, deadline=None)
@given(field_text())
def test_generated_summaries_and_tags_fit_their_bounds(text):
    assert len(text) <= min(BOUNDS["summary"], BOUNDS["tags"])


def test_the_schemathesis_phase_works_from_a_contract_without_the_bounds():
    """Over-long strings are negative data Schemathesis would send and expect refused; only
    length_limits judges them."""
    stripped = without_max_lengths(DOCUMENT)
    assert max_lengths(stripped, "ModelCreate") == {} and max_lengths(stripped, "ModelUpdate") == {}
    assert max_lengths(DOCUMENT, "ModelCreate") == BOUNDS  # the contract itself is untouched
