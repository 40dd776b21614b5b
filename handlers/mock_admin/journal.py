"""The request journal and the console line: what each request asked and got.

:class:`RecordingMiddleware` is the outermost of the mock's middleware, so it sees every
answer as sent, redirects, 401s and refused CORS preflights included. It writes one console
line per request and keeps the API's requests in a bounded ring (:class:`Journal`). Bodies are
kept up to :data:`BODY_LIMIT` characters, with secrets in a configuration concealed as in answers.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from handlers.current import SANDBOX_KEY, TENANT_KEY, request_context
from handlers.mock_admin.steering import DROP_KEY
from handlers.rules import ModelService

BODY_LIMIT = 8192
DEFAULT_SIZE = 1000
console = logging.getLogger("syft_models_mock.requests")

Conceal = Callable[[dict], dict]
TRUNCATED = " …(truncated)"
REQUEST_READ_LIMIT = 1024 * 1024  # read in full to conceal; only the concealed form is kept


def _kept(body: Any) -> Any:
    """``body``, or its JSON text cut at :data:`BODY_LIMIT` characters when longer."""
    text = json.dumps(body, ensure_ascii=False)
    return body if len(text) <= BODY_LIMIT else text[:BODY_LIMIT] + TRUNCATED


def shown_request(raw: bytes, complete: bool, conceal: Conceal | None) -> Any:
    """A request body as the journal keeps it: parsed, secrets concealed, then cut to size.

    A body that is not JSON (or too large to parse) is not kept at all: it could hold a secret
    that cannot be found in it.
    """
    if not raw:
        return None
    if not complete:
        return f"(over {len(raw)} bytes; not shown)"
    try:
        body = json.loads(raw)
        if isinstance(body, dict) and isinstance(body.get("configuration"), dict) and conceal is not None:
            body = conceal(body)
        return _kept(body)
    except ValueError:
        return f"(not JSON, {len(raw)} bytes; not shown: it could hold a secret)"
    except RecursionError:
        return "(nested too deeply to conceal its secrets; not shown)"


def shown_response(raw: bytes, complete: bool) -> Any:
    """A response body (secrets already hidden by the service): parsed JSON, else text, cut to size."""
    if not raw:
        return None
    if complete:
        try:
            return _kept(json.loads(raw))
        except (ValueError, RecursionError):
            pass
    text = raw.decode("utf-8", errors="replace")[:BODY_LIMIT]
    return text if complete and len(text) < BODY_LIMIT else text + TRUNCATED


def concealer(service: ModelService) -> Conceal:
    """Conceals a request body's secrets the way answers do, by the model type it names."""
    def conceal(body: dict) -> dict:
        model_type = service.store.model_type(str(body.get("dtype"))) or {}
        return {**body, "configuration": service.secrets.shown(body["configuration"], model_type.get("config_schema"))}

    return conceal


class Journal:
    """The last ``size`` API requests, newest last; thread-safe."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self._entries: deque[dict] = deque(maxlen=size)
        self._lock = threading.Lock()

    def add(self, entry: dict) -> None:
        with self._lock:
            self._entries.append(entry)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def entries(self, *, method: str | None = None, path: str | None = None, status: int | None = None,
                sandbox: str | None = None, tenant: str | None = None, limit: int = DEFAULT_SIZE) -> list[dict]:
        """Newest first, filtered: method and status exact, path a substring, sandbox ``-`` the default state."""
        with self._lock:
            entries = list(self._entries)
        wanted = {"method": method.upper() if method else None, "status": status, "sandbox": sandbox, "tenant": tenant}
        found = []
        for entry in reversed(entries):
            if any(value is not None and (entry[key] or "-") != value for key, value in wanted.items()):
                continue
            if path is not None and path not in entry["path"]:
                continue
            found.append({**entry, "response_body": shown_response(*entry["response_body"])})
            if len(found) >= limit:
                break
        return found


class _Body:
    """The first ``limit`` bytes of a body, and whether that was all of it."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data = bytearray()
        self.complete = True

    def add(self, chunk: bytes) -> None:
        room = self.limit - len(self.data)
        self.data += chunk[:room]
        self.complete = self.complete and len(chunk) <= room


class RecordingMiddleware:
    """Console line for every request; journal entry for each request under ``base_path``."""

    def __init__(self, app: ASGIApp, journal: Journal | None, base_path: str, conceal: Conceal | None = None) -> None:
        self.app = app
        self.journal = journal
        self.prefix = base_path + "/"
        self.conceal = conceal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        extensions = scope.setdefault("extensions", {})
        keep = self.journal is not None and scope["path"].startswith(self.prefix)
        request, response, status = _Body(REQUEST_READ_LIMIT), _Body(BODY_LIMIT), []

        async def receive_kept() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                request.add(message.get("body", b""))
            return message

        recorded = []

        def record() -> None:
            if not recorded:
                recorded.append(True)
                self._record(scope, request_context(scope), status[0] if status else None,
                             (time.perf_counter() - started) * 1000, request if keep else None, response)

        async def send_kept(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            elif message["type"] == "http.response.body":
                if keep:
                    response.add(message.get("body", b""))
                if not message.get("more_body", False):
                    record()  # before the client has the answer, so its next request sees the entry
            await send(message)

        try:
            await self.app(scope, receive_kept if keep else receive, send_kept)
            if extensions.get(DROP_KEY) and not status:
                await drop_connection(receive)
        finally:
            record()

    def _record(self, scope: Scope, context: dict, status: int | None, ms: float,
                request: _Body | None, response: _Body) -> None:
        tenant = context.get(TENANT_KEY) or Headers(scope=scope).get("x-tenant-name")
        sandbox = context.get(SANDBOX_KEY)
        shown = "dropped" if status is None else str(status)
        console.info("%s %s tenant=%s sandbox=%s %s %.1f ms", scope["method"], scope["path"],
                     tenant or "-", sandbox or "-", shown, ms)
        if request is None:
            return
        self.journal.add({
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "method": scope["method"],
            "path": scope["path"],
            "query": scope.get("query_string", b"").decode("latin-1"),
            "operation": extensions_operation(scope),
            "tenant": tenant,
            "sandbox": sandbox,
            "status": status,
            "ms": round(ms, 2),
            "request_body": shown_request(bytes(request.data), request.complete, self.conceal),
            "response_body": (bytes(response.data), response.complete),  # parsed when read: cheap per request
        })


def extensions_operation(scope: Scope) -> str | None:
    return scope["extensions"].get("connexion_routing", {}).get("operation_id")


async def drop_connection(receive: Receive) -> None:
    """Close the client's connection without an answer (a scenario rule's ``drop``).

    ASGI has no message for it; uvicorn's ``receive`` belongs to the request cycle that holds the
    transport. Yielding once lets uvicorn see the disconnect, so it sends no 500 of its own.
    """
    transport = getattr(getattr(receive, "__self__", None), "transport", None)
    if transport is not None:
        transport.abort()
        await asyncio.sleep(0)
