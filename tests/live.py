"""A mock (or any ASGI app) served by uvicorn in a background thread on a free 127.0.0.1 port,
with the connection bounds ``make serve`` uses.

Also the facts every test that talks to a server shares: the project root (the working
directory of the processes tests start) and the admin key, read from the fixtures the mock
seeds itself from.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from handlers.connections import DEFAULT_LIMITS, ConnectionLimits, server_config
from handlers.fixtures import DEFAULT_FIXTURES, load_seed

ROOT = Path(__file__).resolve().parent.parent
TOKEN = load_seed(DEFAULT_FIXTURES).admin_keys[0]
# A hang guard, not a speed assumption: a server that neither starts nor dies in this time is stuck.
START_GUARD = 300.0
_TLS = ssl.create_default_context()  # built once: httpx would load the CA bundle per client


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(url: str, process: subprocess.Popen, headers: dict | None = None) -> httpx.Response:
    """The first answer of the server ``process`` at ``url``, however long it takes to start.

    Fails when the process exits first (or hangs past the guard), never because it is slow.
    """
    guard = time.monotonic() + START_GUARD
    with httpx.Client(timeout=60) as http:
        while True:
            try:
                return http.get(url, headers=headers or {})
            except httpx.TransportError:
                assert process.poll() is None, f"the server exited with {process.returncode} before answering"
                assert time.monotonic() < guard, "the server neither answered nor exited"
                time.sleep(0.05)


class LiveServer:
    """Starts on construction, stops on :meth:`stop`; ``base_url`` ends in ``/api/v1``."""

    def __init__(self, app, token: str = TOKEN, limits: ConnectionLimits = DEFAULT_LIMITS) -> None:
        self.app = app
        self.token = token
        listening = socket.create_server(("127.0.0.1", 0))  # bound here: no other process can take the port
        self.port = listening.getsockname()[1]
        self.root_url = f"http://127.0.0.1:{self.port}"
        self.base_url = f"{self.root_url}/api/v1"
        config = server_config(app, "127.0.0.1", self.port, limits, log_level="warning", lifespan="off")
        listening.listen(config.backlog)  # as deep as the queue uvicorn would have set up itself
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [listening]}, daemon=True)
        self._thread.start()
        guard = time.monotonic() + START_GUARD
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > guard:
                raise RuntimeError(f"server on port {self.port} did not start")
            time.sleep(0.01)

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def client(self, **headers: str) -> httpx.Client:
        """A client of this server sending the admin key (and ``headers``) with every request."""
        return httpx.Client(base_url=self.base_url, headers={**self.auth, **headers}, timeout=60, verify=_TLS)

    def stop(self) -> None:
        """Asks the server to exit; a connection it is still draining does not hold the test up."""
        self._server.should_exit = True
        self._thread.join(timeout=10)
