"""A catalogue of deliberately faulty Models API servers, for proving the conformance kit.

Each entry is the mock with one rule broken, built from small combinable modifiers
(:mod:`tests.catalogue.services`, :mod:`tests.catalogue.wrappers`) without any switch in the
shipped mock, and declared together with the probe that shows its defect
(:mod:`tests.catalogue.entries`). ``CATALOGUE`` lists them; every entry names the kit rule that
must catch it. ``CORRECT_VARIANTS`` lists servers the kit must pass.
"""

from tests.catalogue import entries
from tests.catalogue.base import CATALOGUE, Entry, Server, build, stack
from tests.catalogue.variants import CORRECT_VARIANTS

__all__ = ["CATALOGUE", "CORRECT_VARIANTS", "Entry", "Server", "build", "entries", "stack"]
