"""Fixtures of the catalogue tests: the kit runs the session selected, and a plain mock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.catalogue.base import Server, build
from tests.catalogue.kit_runs import KitRuns
from tests.live import LiveServer


def _selected_servers(session: pytest.Session) -> list[Server]:
    """The servers of the selected tests parametrised with ``kit_target``, each once, in order."""
    wanted: dict[str, Server] = {}
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        server = callspec.params.get("kit_target") if callspec else None
        if isinstance(server, Server):
            wanted.setdefault(server.name, server)
    return list(wanted.values())


@pytest.fixture(scope="session")
def kit_runs(request) -> Iterator[KitRuns]:
    """Every kit run the session will judge, started as soon as the first one is asked for."""
    runs = KitRuns(_selected_servers(request.session))
    yield runs
    runs.close()


@pytest.fixture(scope="module", autouse=True)
def kit_runs_started_early(request) -> None:
    """Starts the kit runs with the module, so they overlap with the probe tests."""
    if _selected_servers(request.session):
        request.getfixturevalue("kit_runs")


@pytest.fixture(scope="module")
def plain_mock() -> Iterator[LiveServer]:
    """The unmodified mock, served like the entries (response validation off)."""
    server = LiveServer(build())
    yield server
    server.stop()
