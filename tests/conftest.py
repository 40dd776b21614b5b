"""Shared fixtures: live mock servers (response validation on) and HTTP clients for them."""

from __future__ import annotations

import ssl
import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest

from handlers.app import create_app
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


_TLS = ssl.create_default_context()  # built once: httpx would load the CA bundle per client


def client_for(server: LiveServer, **headers: str) -> httpx.Client:
    return httpx.Client(base_url=server.base_url, headers={**server.auth, **headers}, timeout=30, verify=_TLS)


@pytest.fixture
def client(mock_server) -> Iterator[httpx.Client]:
    with client_for(mock_server) as http:
        yield http


@pytest.fixture
def fresh_client(fresh_server) -> Iterator[httpx.Client]:
    with client_for(fresh_server) as http:
        yield http


@pytest.fixture
def unique_name() -> Callable[[str], str]:
    def make(stem: str = "model") -> str:
        return f"{stem}-{uuid.uuid4().hex[:10]}"

    return make


OPENAI_CONFIG = {"api_key": "sk-test-abcdef123456", "model": "gpt-4", "base_url": "https://api.openai.com/v1"}


@pytest.fixture
def create_model(client) -> Callable[..., dict]:
    """Creates a model through the API (default tenant unless headers say otherwise)."""

    def create(name: str, http: httpx.Client | None = None, **fields) -> dict:
        body = {"name": name, "dtype": "openai", "configuration": dict(OPENAI_CONFIG), **fields}
        response = (http or client).post("/models/", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    return create
