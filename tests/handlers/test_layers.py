"""The layering rule of ``handlers/__init__.py``: the domain imports no web framework, even indirectly."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

DOMAIN = ["handlers.rules", "handlers.errors", "handlers.problems", "handlers.documents", "handlers.secrets",
          "handlers.contract", "handlers.store", "handlers.storage", "handlers.clock", "handlers.fixtures"]
FRAMEWORKS = {"connexion", "flask", "starlette", "uvicorn", "werkzeug", "a2wsgi"}


def _top_level_packages_after_importing(module: str) -> set[str]:
    """Imports ``module`` in a fresh interpreter and lists every top-level package then loaded."""
    code = f"import json, sys, {module}; print(json.dumps(sorted({{name.split('.')[0] for name in sys.modules}})))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(result.stdout))


@pytest.mark.parametrize("module", DOMAIN)
def test_a_domain_module_pulls_in_no_web_framework(module):
    assert _top_level_packages_after_importing(module) & FRAMEWORKS == set()


def test_the_check_sees_a_framework_when_one_is_imported():
    assert "connexion" in _top_level_packages_after_importing("handlers.error_handlers")
