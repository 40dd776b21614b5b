"""The run's time budget (`--max-time`): the whole run, cleanup included, ends within it.

It is split three ways. The rules share the most of it, so no single rule can eat it all. An
explicit case a rule has begun may still run `GRACE_SECONDS` past the rules' part: explicit
cases run whatever the budget. The last `CLEANUP_SECONDS` are kept for the cleanup: each of its
requests gets at most that long, and the first that gets no answer ends it, so a target that
stopped answering cannot keep the run past `--max-time`. A target that answers is cleaned up
however many models it holds. A budget smaller than the grace and the cleanup together gives
the rules nothing: the run then takes at most those two.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

GRACE_SECONDS = 3.0
CLEANUP_SECONDS = 5.0


@dataclass
class Budget:
    total: float  # --max-time
    started: float = field(default_factory=time.monotonic)

    @property
    def rules(self) -> float:
        """The rules' part, shared out among them."""
        return max(0.0, self.total - GRACE_SECONDS - CLEANUP_SECONDS)

    @property
    def rules_end(self) -> float:
        """Monotonic: no request of the rules runs past it (their part plus the grace)."""
        return self.started + self.rules + GRACE_SECONDS

    def remaining(self) -> float:
        return max(0.0, self.rules - (time.monotonic() - self.started))

    def share(self, rules_left: int, weight: float = 1.0) -> float:
        """Seconds one rule may use so the rules after it still get their part."""
        return self.remaining() * weight / max(1, rules_left)
