"""A mock (or any ASGI app) served by uvicorn in a background thread on a free 127.0.0.1 port,
with the connection bounds ``make serve`` uses."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn

from handlers.connections import DEFAULT_LIMITS, ConnectionLimits, server_config

TOKEN = "demo-admin-key"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """Starts on construction, stops on :meth:`stop`; ``base_url`` ends in ``/api/v1``."""

    def __init__(self, app, token: str = TOKEN, limits: ConnectionLimits = DEFAULT_LIMITS) -> None:
        self.app = app
        self.token = token
        self.port = free_port()
        self.root_url = f"http://127.0.0.1:{self.port}"
        self.base_url = f"{self.root_url}/api/v1"
        config = server_config(app, "127.0.0.1", self.port, limits, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"server on port {self.port} did not start")
            time.sleep(0.01)

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
