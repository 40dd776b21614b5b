"""The run's time budget, shared out so no single rule can eat the whole of `--max-time`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Budget:
    total: float
    started: float = field(default_factory=time.monotonic)

    def remaining(self) -> float:
        return max(0.0, self.total - (time.monotonic() - self.started))

    def share(self, rules_left: int, weight: float = 1.0) -> float:
        """Seconds one rule may use so the rules after it still get their part."""
        return self.remaining() * weight / max(1, rules_left)
