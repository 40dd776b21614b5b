"""The conformance kit as the tests run it: its command line, its rules, a budget that never binds.

The kit runs in a process of its own, as users run it. Its rule names come from its registry
(``tests/conformance/test_registry.py`` pins them once); nothing else in the tests lists them.
"""

from __future__ import annotations

import subprocess
import sys

import conformance.rules  # noqa: F401  (registers the rules)
from conformance.registry import RULES
from tests.live import ROOT

KIT = [sys.executable, "-m", "conformance"]
RULE_NAMES = frozenset(RULES.names())
# --max-time for runs whose verdict a test asserts: far beyond any run here, so only --examples
# bounds the work and a slow machine gets the same verdict as a fast one.
NEVER_BINDS = 3600
# A hang guard for one kit process, not a speed assumption.
KIT_GUARD = 1800


def run_kit(*args: str) -> subprocess.CompletedProcess:
    """Runs the kit's command line with ``args`` from the project root; output captured."""
    return subprocess.run([*KIT, *args], cwd=ROOT, capture_output=True, text=True, timeout=KIT_GUARD)


def start_kit(*args: str) -> subprocess.Popen:
    """Starts the kit's command line with ``args`` from the project root; output piped."""
    return subprocess.Popen([*KIT, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
