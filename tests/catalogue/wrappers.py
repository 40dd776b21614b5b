"""Transport modifiers: ASGI wrappers around the mock for faults that live before the service.

Authentication and request validation happen in Connexion's middleware, before any
``ModelService`` method runs, so faults there are built by rewriting the request on its way in
(or the response on its way out). Each wrapper is a class taking the app it wraps; partial
application (``functools.partial``) gives the one-argument form ``build(wrappers=...)`` expects.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.contract import UPDATABLE_FIELDS, resolve, schema
from tests.live import TOKEN

BASE = "/api/v1"
MODEL_PATH = re.compile(rf"^{BASE}/models/(?!types(?:/|$))[^/]+$")
COLLECTION_PATH = f"{BASE}/models/"


def _with_header(scope: Scope, name: bytes, value: bytes | None) -> Scope:
    """A copy of ``scope`` with header ``name`` replaced (or removed when ``value`` is None)."""
    headers = [(key, val) for key, val in scope["headers"] if key.lower() != name]
    if value is not None:
        headers.append((name, value))
    return {**scope, "headers": headers}


def _header(scope: Scope, name: bytes) -> bytes | None:
    return next((val for key, val in scope["headers"] if key.lower() == name), None)


def _json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


class Rewriting:
    """Buffers a request and its response so a subclass can rewrite either.

    ``applies(scope)`` picks the requests to touch; ``request(scope, body)`` returns the
    (scope, body) to forward, or ``(status, headers, body)`` to answer directly;
    ``response(scope, status, headers, body)`` returns the (status, headers, body) to send.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def applies(self, scope: Scope) -> bool:
        return True

    def request(self, scope: Scope, body: bytes):
        return scope, body

    def response(self, scope: Scope, status: int, headers: list, body: bytes):
        return status, headers, body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.applies(scope):
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        outcome = self.request(scope, b"".join(chunks))
        if len(outcome) == 3:
            await _answer(send, *outcome)
            return
        scope, body = outcome
        scope = _with_header(scope, b"content-length", str(len(body)).encode() if body else None)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        start: dict = {}
        out: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                out.append(message.get("body", b""))
                if not message.get("more_body"):
                    status, headers, raw = self.response(scope, start["status"], list(start.get("headers", [])), b"".join(out))
                    await _answer(send, status, headers, raw)
            else:
                await send(message)

        await self.app(scope, replay, capture)


async def _answer(send: Send, status: int, headers: list, body: bytes) -> None:
    headers = [(key, val) for key, val in headers if key.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# auth ----------------------------------------------------------------------------------------


class AuthIgnoredOn:
    """Requests with the given methods go through whatever their ``Authorization`` header says."""

    def __init__(self, app: ASGIApp, methods: tuple[str, ...] = ("DELETE",)) -> None:
        self.app = app
        self.methods = methods

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in self.methods:
            scope = _with_header(scope, b"authorization", f"Bearer {TOKEN}".encode())
        await self.app(scope, receive, send)


class AnyBearerKeyOn:
    """Requests with the given methods pass with any ``Bearer`` key (a missing header is still 401)."""

    def __init__(self, app: ASGIApp, methods: tuple[str, ...] = ("PATCH",)) -> None:
        self.app = app
        self.methods = methods

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in self.methods:
            offered = _header(scope, b"authorization") or b""
            if offered.startswith(b"Bearer "):
                scope = _with_header(scope, b"authorization", f"Bearer {TOKEN}".encode())
        await self.app(scope, receive, send)


# null_means_unchanged ------------------------------------------------------------------------


class EmptyPatchAccepted(Rewriting):
    """A PATCH object without any updatable string field is answered like a GET: 200, nothing changed."""

    def applies(self, scope):
        return scope["method"] == "PATCH" and bool(MODEL_PATH.match(scope["path"]))

    def request(self, scope, body):
        sent = _json_or_none(body)
        if isinstance(sent, dict) and not any(isinstance(sent.get(field), str) for field in UPDATABLE_FIELDS):
            scope = _with_header({**scope, "method": "GET"}, b"content-type", None)
            return scope, b""
        return scope, body


# name_rules ----------------------------------------------------------------------------------

# Stand-ins (private-use characters) for what the name rules forbid, one character for one, so
# a smuggled name keeps its length and stays within the contract's length bound.
_EMPTY, _SLASH, _RESERVED = "\ue000", "\ue001", "\ue002"
RESERVED_NAMES = ("types", ".", "..")


def _encode(name: str) -> str:
    if name in RESERVED_NAMES:
        return _RESERVED + name
    return _EMPTY if name == "" else name.replace("/", _SLASH)


def _decode(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(_EMPTY, "").replace(_SLASH, "/").replace(_RESERVED, "")
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if isinstance(value, dict):
        return {key: _decode(item) for key, item in value.items()}
    return value


def empty_name(name: str) -> bool:
    return name == ""


def slash_in_name(name: str) -> bool:
    return "/" in name


def reserved_name(name: str) -> bool:
    return name in RESERVED_NAMES


class InvalidNamesAccepted(Rewriting):
    """Create and rename accept names the ``accept`` predicates pick, although the rules forbid them.

    The name is smuggled past the contract's request schema in an encoded form and decoded in
    every response, so the client sees its own name stored. As on the real server, such a model
    cannot be reached by its URL afterwards (``/models/`` is the list, ``a/b`` is no route).
    """

    def __init__(self, app: ASGIApp, accept: tuple = (empty_name, slash_in_name)) -> None:
        super().__init__(app)
        self.accept = accept

    def applies(self, scope):
        return (scope["method"] == "POST" and scope["path"] == COLLECTION_PATH) or (
            scope["method"] == "PATCH" and bool(MODEL_PATH.match(scope["path"]))
        )

    def request(self, scope, body):
        sent = _json_or_none(body)
        if isinstance(sent, dict) and isinstance(sent.get("name"), str) and any(
            accept(sent["name"]) for accept in self.accept
        ):
            body = json.dumps({**sent, "name": _encode(sent["name"])}).encode()
        return scope, body

    def response(self, scope, status, headers, body):
        shown = _json_or_none(body)
        if shown is None:
            return status, headers, body
        return status, headers, json.dumps(_decode(shown)).encode()


class TypesPathServesModel(Rewriting):
    """``GET /models/types`` (no trailing slash) answers the model named ``types``, as the real
    server's route for a model matches it (the contract redirects it to the type list)."""

    def applies(self, scope):
        return scope["method"] == "GET" and scope["path"] == f"{BASE}/models/types"

    def request(self, scope, body):
        path = f"{BASE}/models/{_RESERVED}types"
        return {**scope, "path": path, "raw_path": quote(path).encode()}, body

    def response(self, scope, status, headers, body):
        shown = _json_or_none(body)
        return status, headers, body if shown is None else json.dumps(_decode(shown)).encode()


# schema_conformance --------------------------------------------------------------------------


class NonObjectBodyCrashes(Rewriting):
    """POST or PATCH with a JSON body that is not an object answers 500 with a plain-text page."""

    def applies(self, scope):
        return scope["method"] in ("POST", "PATCH")

    def request(self, scope, body):
        sent = _json_or_none(body)
        if body.strip() and sent is not None and not isinstance(sent, dict):
            return 500, [(b"content-type", b"text/plain; charset=utf-8")], b"Internal Server Error"
        return scope, body


class TraceCrashes(Rewriting):
    """TRACE, which no route defines and no rule of the kit sends (Schemathesis does), answers
    500 with a plain-text page instead of 405."""

    def applies(self, scope):
        return scope["method"] == "TRACE"

    def request(self, scope, body):
        return 500, [(b"content-type", b"text/plain; charset=utf-8")], b"Internal Server Error"


# response_schema -----------------------------------------------------------------------------


class NotFoundWithoutDetail(Rewriting):
    """404 answers carry ``{"error": ...}`` instead of the contract's ``{"detail": ...}``."""

    def response(self, scope, status, headers, body):
        shown = _json_or_none(body)
        if status == 404 and isinstance(shown, dict) and "detail" in shown:
            return status, headers, json.dumps({"error": shown["detail"]}).encode()
        return status, headers, body


# stored_data_readable ------------------------------------------------------------------------

PLAIN_500 = (500, [(b"content-type", b"text/plain; charset=utf-8")], b"Internal Server Error")
POISON = "ck-poisoned-by-a-lone-surrogate"


def has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any(0xD800 <= ord(char) <= 0xDFFF for char in value)
    if isinstance(value, dict):
        return any(has_lone_surrogate(item) for item in value.values())
    if isinstance(value, list):
        return any(has_lone_surrogate(item) for item in value)
    return False


def _poisoned(value: Any) -> Any:
    """``value`` with every string holding a lone surrogate replaced by the poison marker."""
    if isinstance(value, dict):
        return {key: _poisoned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_poisoned(item) for item in value]
    return POISON if has_lone_surrogate(value) else value


class LoneSurrogatesPoison(Rewriting):
    """Lone surrogates (``"\\ud800"``, valid JSON) as the real server treats them: in a name,
    summary or tags a create answers a plain-text 500 and stores nothing; in a configuration
    value the model is stored, the create answers 500, and every later list of the tenant (and
    GET of the model) is a plain-text 500 until the model is deleted; a PATCH answers 409 with
    the encoding error as its message."""

    def request(self, scope, body):
        sent = _json_or_none(body)
        if not isinstance(sent, dict) or not has_lone_surrogate(sent):
            return scope, body
        if scope["method"] == "PATCH" and MODEL_PATH.match(scope["path"]):
            detail = "'utf-8' codec can't encode character '\\ud800': surrogates not allowed"
            return 409, [(b"content-type", b"application/json")], json.dumps({"detail": detail}).encode()
        if scope["method"] != "POST" or scope["path"] != COLLECTION_PATH:
            return scope, body
        if has_lone_surrogate({key: value for key, value in sent.items() if key != "configuration"}):
            return PLAIN_500
        return {**scope, "ck_poisoned": True}, json.dumps(_poisoned(sent)).encode()

    def response(self, scope, status, headers, body):
        if scope.get("ck_poisoned") or (scope["method"] == "GET" and POISON.encode() in body):
            return PLAIN_500
        return status, headers, body


# length_limits -------------------------------------------------------------------------------


BOUNDS = {
    field: resolve(rules)["maxLength"]
    for field, rules in schema("ModelCreate")["properties"].items()
    if "maxLength" in resolve(rules)
}


class LengthLimitsIgnored(Rewriting):
    """name, summary and tags of any length are accepted on create and PATCH (no maxLength).

    Long values are swapped for short tokens on the way in (body and URL) and back on the way
    out, so the mock's own bounds never see them.
    """

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self.tokens: dict[str, str] = {}  # long value -> token

    def _token(self, value: str) -> str:
        return self.tokens.setdefault(value, f"\ue002{len(self.tokens)}\ue003")

    def request(self, scope, body):
        if MODEL_PATH.match(scope["path"]):
            base, name = scope["path"].rsplit("/", 1)
            if name in self.tokens:
                path = f"{base}/{self.tokens[name]}"
                scope = {**scope, "path": path, "raw_path": quote(path).encode()}
        sent = _json_or_none(body)
        if isinstance(sent, dict):
            long = {field: self._token(sent[field]) for field in UPDATABLE_FIELDS
                    if isinstance(sent.get(field), str) and len(sent[field]) > BOUNDS.get(field, len(sent[field]))}
            if long:
                body = json.dumps({**sent, **long}).encode()
        return scope, body

    def response(self, scope, status, headers, body):
        shown = _json_or_none(body)
        if shown is None or not self.tokens:
            return status, headers, body
        values = {token: value for value, token in self.tokens.items()}
        return status, headers, json.dumps(_replaced(shown, values)).encode()


def _replaced(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        return values.get(value, value)
    if isinstance(value, list):
        return [_replaced(item, values) for item in value]
    if isinstance(value, dict):
        return {key: _replaced(item, values) for key, item in value.items()}
    return value


# method_not_allowed --------------------------------------------------------------------------


class AllowListsOneMethod(Rewriting):
    """A 405's ``Allow`` header names only the last method the path supports (``Allow: POST``
    on ``/models/``), as the real server's does."""

    def response(self, scope, status, headers, body):
        if status != 405:
            return status, headers, body
        allow = next((value for key, value in headers if key.lower() == b"allow"), b"")
        last = allow.split(b",")[-1].strip()
        return status, [(key, value) for key, value in headers if key.lower() != b"allow"] + [(b"allow", last)], body

# the web UI's routes (health_public, auth) ---------------------------------------------------


class HealthNeedsKey(Rewriting):
    """GET /models/{name}/health answers 401 unless the admin key is sent."""

    def applies(self, scope: Scope) -> bool:
        return scope["path"].endswith("/health")

    def request(self, scope: Scope, body: bytes):
        if _header(scope, b"authorization") != f"Bearer {TOKEN}".encode():
            return 401, [(b"content-type", b"application/json")], b'{"detail": "Admin API key required"}'
        return scope, body


class TypeSchemaOpen:
    """GET /models/types/{name}/schema goes through whatever its ``Authorization`` header says."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].endswith("/schema"):
            scope = _with_header(scope, b"authorization", f"Bearer {TOKEN}".encode())
        await self.app(scope, receive, send)
