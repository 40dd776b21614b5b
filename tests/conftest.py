"""Fixtures every folder shares: live mock servers (response validation on) and clients for them."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest

from handlers.app import create_app
from tests.helpers import openai_body
from tests.live import LiveServer


@pytest.fixture(scope="session")
def mock_server() -> Iterator[LiveServer]:
    """One mock for the session; tests that change state use names they made up themselves."""
    server = LiveServer(create_app(validate_responses=True))
    yield server
    server.stop()


@pytest.fixture
def start_server() -> Iterator[Callable[..., LiveServer]]:
    """Starts a fresh mock from ``create_app(**options)``; every one is stopped after the test."""
    started: list[LiveServer] = []

    def start(app=None, **options) -> LiveServer:
        options.setdefault("validate_responses", True)
        server = LiveServer(app if app is not None else create_app(**options))
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def fresh_server(start_server) -> LiveServer:
    """A mock holding exactly the fixtures."""
    return start_server()


@pytest.fixture
def client(mock_server) -> Iterator[httpx.Client]:
    with mock_server.client() as http:
        yield http


@pytest.fixture
def fresh_client(fresh_server) -> Iterator[httpx.Client]:
    with fresh_server.client() as http:
        yield http


@pytest.fixture
def unique_name() -> Callable[[str], str]:
    def make(stem: str = "model") -> str:
        return f"{stem}-{uuid.uuid4().hex[:10]}"

    return make


@pytest.fixture
def create_model(client) -> Callable[..., dict]:
    """Creates a model through the API (default tenant unless headers say otherwise)."""

    def create(name: str, http: httpx.Client | None = None, **fields) -> dict:
        response = (http or client).post("/models/", json=openai_body(name, **fields))
        assert response.status_code == 201, response.text
        return response.json()

    return create
