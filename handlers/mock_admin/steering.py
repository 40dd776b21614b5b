"""Per-request steering of the product API: ``Prefer`` (Prism-compatible) and scenario rules.

Runs after routing and authentication and before the tenant and the body are checked, so a
preferred or scripted answer needs the admin key but nothing else, and never touches state.
``Prefer: code=N`` answers status N (one the operation documents) with the contract's example;
``example=NAME`` a named example; ``delay=MS`` waits first. Prism's query forms ``__code``,
``__example`` and ``__delay`` work too.
"""

from __future__ import annotations

import asyncio
import json
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from handlers.current import SANDBOX_KEY, request_context
from handlers.errors import ApiError
from handlers.mock_admin.examples import ContractExamples
from handlers.mock_admin.scenarios import Rule, RulesTable

MAX_DELAY_MS = 60_000
DROP_KEY = "syft_mock_drop"
PREFERENCES = ("code", "example", "delay")
BODY_READ_LIMIT = 1024 * 1024


def preferences(scope: Scope) -> dict[str, str]:
    """``Prefer`` header parameters we know (RFC 7240: others are ignored), then Prism's ``__x`` query."""
    found: dict[str, str] = {}
    for part in Headers(scope=scope).get("prefer", "")[:1024].replace(";", ",").split(","):
        key, _, value = part.strip().partition("=")
        if key.strip().lower() in PREFERENCES:
            found.setdefault(key.strip().lower(), value.strip().strip('"'))
    if scope.get("query_string"):
        query = parse_qs(scope["query_string"].decode("latin-1")[:2048])
        for key in PREFERENCES:
            if f"__{key}" in query:
                found.setdefault(key, query[f"__{key}"][0])
    return found


def _delay_ms(value: str) -> int:
    if not value.isdigit() or int(value) > MAX_DELAY_MS:
        raise ApiError(400, f"Prefer: delay={value[:40]} must be a whole number of milliseconds from 0 to {MAX_DELAY_MS}")
    return int(value)


class SteeringMiddleware:
    """Applies ``Prefer`` and the first matching scenario rule to requests of the product API."""

    def __init__(self, app: ASGIApp, examples: ContractExamples, rules: RulesTable) -> None:
        self.app = app
        self.examples = examples
        self.rules = rules

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        operation_id = scope.get("extensions", {}).get("connexion_routing", {}).get("operation_id")
        if scope["type"] != "http" or operation_id not in self.examples.operations:
            await self.app(scope, receive, send)
            return
        preferred = preferences(scope)
        if preferred:
            answer = self._preferred(operation_id, preferred)
            if "delay" in preferred:
                await asyncio.sleep(_delay_ms(preferred["delay"]) / 1000)
            if answer is not None:
                await answer_with(*answer)(scope, receive, send)
                return
        if self.rules:
            rule, receive = await self._rule_for(scope, receive, operation_id)
            if rule is not None:
                await self._apply(rule, operation_id, scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _preferred(self, operation_id: str, preferred: dict[str, str]) -> tuple[int, Any] | None:
        operation = self.examples.operations[operation_id]
        documented = self.examples.documented(operation_id)
        name = preferred.get("example")
        code = preferred.get("code")
        if code is not None and code not in documented:
            raise ApiError(400, f"Prefer: code={code[:40]} is not documented for {operation.label()}; "
                                f"documented: {', '.join(documented)}")
        if name is None:
            return None if code is None else (int(code), self.examples.body(operation_id, code))
        names = self.examples.example_names(operation_id)
        status = code or names.get(name)
        try:
            return int(status), self.examples.body(operation_id, status, name)
        except (KeyError, TypeError):
            where = f"status {code}" if code else operation.label()
            known = ", ".join(f"{key} ({value})" for key, value in sorted(names.items())) or "none"
            raise ApiError(400, f"Prefer: example={name[:60]} is not an example of {where}; examples: {known}") from None

    async def _rule_for(self, scope: Scope, receive: Receive, operation_id: str) -> tuple[Rule | None, Receive]:
        """The rule for this request; the body is read (and replayed) only when a rule asks for it."""
        body = None
        if self.rules.needs_body(operation_id):
            messages, body = await _read_body(receive)
            receive = _replay(messages, receive)
        context = request_context(scope)
        tenant = Headers(scope=scope).get("x-tenant-name")
        return self.rules.first_match(operation_id, tenant, context.get(SANDBOX_KEY), body), receive

    async def _apply(self, rule: Rule, operation_id: str, scope: Scope, receive: Receive, send: Send) -> None:
        spec = rule.spec
        if spec.get("delay_ms") is not None:
            await asyncio.sleep(rule.delay_seconds())
        if spec.get("drop"):
            scope["extensions"][DROP_KEY] = True  # the recording middleware holds the connection
            return
        if spec.get("status") is not None:
            await answer_with(spec["status"], self._canned_body(operation_id, spec))(scope, receive, send)
            return
        if spec.get("status_after") is not None:
            await self.app(scope, receive, _with_status(send, spec["status_after"]))
            return
        await self.app(scope, receive, send)

    def _canned_body(self, operation_id: str, spec: dict) -> Any:
        if "body" in spec:
            return spec["body"]
        status = str(spec["status"])
        if status in self.examples.operations[operation_id].responses:
            try:
                return self.examples.body(operation_id, status, spec.get("example"))
            except KeyError:
                pass
        try:
            return {"detail": HTTPStatus(spec["status"]).phrase}
        except ValueError:
            return {"detail": "Error"}


def answer_with(status: int, body: Any) -> Response:
    """A JSON answer; statuses that carry no body (204, 304) go without one."""
    if status in (204, 304):
        return Response(status_code=status)
    return JSONResponse(body, status_code=status)


async def _read_body(receive: Receive) -> tuple[list[Message], Any]:
    """Every message of the request body (up to the limit) and the body as JSON, if it is."""
    messages, size, more = [], 0, True
    while more and size <= BODY_READ_LIMIT:
        message = await receive()
        messages.append(message)
        size += len(message.get("body", b""))
        more = message["type"] == "http.request" and message.get("more_body", False)
    if more:
        return messages, None
    try:
        return messages, json.loads(b"".join(message.get("body", b"") for message in messages))
    except ValueError:
        return messages, None


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


def _with_status(send: Send, status: int) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "status": status}
        await send(message)

    return sending
