"""A catalogue of deliberately faulty Models API servers, for proving the conformance kit.

Each entry is the mock with one rule broken, built from small combinable modifiers
(:mod:`tests.catalogue.services`, :mod:`tests.catalogue.wrappers`) without any switch in the
shipped mock. ``CATALOGUE`` lists them; every entry names the kit rule that must catch it.
"""

from tests.catalogue import entries as _entries  # noqa: F401  (registers the entries)
from tests.catalogue.base import CATALOGUE, RULE_NAMES, Entry, build, stack
from tests.catalogue.entries import CORRECT_VARIANTS, REAL_SERVER_RULES

__all__ = ["CATALOGUE", "CORRECT_VARIANTS", "REAL_SERVER_RULES", "RULE_NAMES", "Entry", "build", "stack"]
