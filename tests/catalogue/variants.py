"""Correct variants: servers that differ from the mock only where the contract leaves it open.

The kit must pass them (an omitted secret and ``+00:00`` are as good as the mock's choices),
and no catalogue probe may fire on them.
"""

from __future__ import annotations

from tests.catalogue import services as s
from tests.catalogue.base import Server

CORRECT_VARIANTS = (
    Server("mock"),
    Server("secrets_omitted_numeric_offset", services=(s.SecretsOmitted, s.TimestampsWithNumericOffset)),
)
