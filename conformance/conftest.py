"""`pytest conformance --base-url URL --token KEY ...`: the kit as a pytest suite, one test per rule.

The options mirror the command line; the run (preflight, rules, cleanup) is the same runner.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest

from conformance.errors import KitError
from conformance.options import (
    DEFAULT_EXAMPLES,
    DEFAULT_MAX_TIME,
    DEFAULT_TIMEOUT,
    TOKEN_VARIABLE,
    KitOptions,
)
from conformance.results import RunReport
from conformance.run_context import RunContext
from conformance.runner import finish, open_run


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("syft-conformance")
    group.addoption("--base-url", help="the deployment's base URL, e.g. http://127.0.0.1:8080/api/v1")
    group.addoption("--token", help=f"the admin key (or the environment variable {TOKEN_VARIABLE})")
    group.addoption("--tenant", default=None)
    group.addoption("--other-tenant", default=None)
    group.addoption("--read-only", action="store_true", default=False)
    group.addoption("--seed", type=int, default=None)
    group.addoption("--examples", type=int, default=DEFAULT_EXAMPLES)
    group.addoption("--max-time", type=float, default=DEFAULT_MAX_TIME)
    group.addoption("--no-schema", action="store_true", default=False)
    group.addoption("--dtype", default=None)
    group.addoption("--configuration", default=None, help="JSON configuration for --dtype")
    group.addoption("--timeout", type=float, default=DEFAULT_TIMEOUT)


@pytest.fixture(scope="session")
def conformance_run(pytestconfig: pytest.Config) -> Iterator[RunContext]:
    """One run for the session; everything it created is deleted when the session ends."""
    option = pytestconfig.getoption
    token = option("--token") or os.environ.get(TOKEN_VARIABLE)
    if not option("--base-url") or not token:
        pytest.exit(f"pytest conformance needs --base-url, and --token or {TOKEN_VARIABLE}", returncode=2)
    configuration = option("--configuration")
    options = KitOptions(
        base_url=option("--base-url"),
        token=token,
        tenant=option("--tenant"),
        other_tenant=option("--other-tenant"),
        read_only=option("--read-only"),
        seed=option("--seed"),
        examples=option("--examples"),
        max_time=option("--max-time"),
        schema=not option("--no-schema"),
        dtype=option("--dtype"),
        configuration=json.loads(configuration) if configuration else None,
        timeout=option("--timeout"),
    )
    try:
        run_context = open_run(options)
    except KitError as exc:
        pytest.exit(f"the kit cannot run: {exc}", returncode=2)
    report = RunReport(options.base_url, options.tenant, options.other_tenant, run_context.seed, run_context.prefix)
    yield run_context
    finish(run_context, report)
    if report.remaining:
        left = ", ".join(f"{tenant or '(default)'}:{name!r}" for tenant, name, _ in report.remaining)
        pytest.fail(f"models the kit created could not be deleted: {left}")
