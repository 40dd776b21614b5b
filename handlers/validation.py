"""Request body validation by the contract, reported as the real server reports it.

Connexion's own JSON body validator stops at the first error and answers 400; this one
collects every error with ``iter_errors`` and raises :class:`RequestInvalid` (422).
"""

from __future__ import annotations

import json
import math
import typing as t

from connexion.datastructures import MediaTypeDict
from connexion.json_schema import Draft4RequestValidator
from connexion.validators import (
    VALIDATOR_MAP,
    JSONRequestBodyValidator,
)
from jsonschema import Draft4Validator
from starlette.datastructures import Headers
from starlette.types import Message, Receive, Scope

from handlers.current import BODY_KEY, request_context
from handlers.errors import RequestInvalid, error_entry
from handlers.fast_check import compile_check
from handlers.problems import describe_errors, lone_surrogates

MAX_DEPTH = 64
"""Deepest nesting of arrays and objects a body may have; deeper ones are refused before
anything recursive (validation, copies) touches them."""

def json_invalid(exc: Exception) -> RequestInvalid:
    position = getattr(exc, "pos", 0)
    reason = getattr(exc, "msg", str(exc))
    return RequestInvalid([error_entry("json_invalid", ["body", position], "JSON decode error", {}, {"error": reason})])


def _depth(value: t.Any) -> int:
    """Nesting depth of a parsed JSON value, measured without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        current, level = pending.pop()
        if isinstance(current, dict):
            current = list(current.values())
        if isinstance(current, list):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                break
            pending.extend((item, level + 1) for item in current)
    return deepest


def _may_nest_too_deeply(text: str) -> bool:
    """False when ``text`` has too few brackets for a value nested deeper than :data:`MAX_DEPTH`:
    each level opens with one. Most bodies then need no walk."""
    return text.count("[") + text.count("{") > MAX_DEPTH


def _may_hold_surrogates(text: str) -> bool:
    """False when no string parsed from ``text`` can hold a surrogate: ASCII text has none but
    through a ``\\u`` escape. Most bodies then need no walk."""
    return not text.isascii() or "\\u" in text


def _finite_float(text: str) -> float:
    """``1e400`` parses to infinity, which no JSON answer could carry: refused like ``NaN``."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"Number {text} is out of range")
    return value


def _reject_constant(constant: str) -> None:
    """``NaN`` and ``Infinity`` are not JSON; echoing them back would make the answer invalid JSON."""
    raise ValueError(f"Invalid JSON constant {constant}")


async def _with_length(receive: Receive, scope: Scope) -> tuple[Receive, Scope]:
    """A chunked body read whole (the body limit bounds it) and handed on with its length.

    Connexion reads a request without ``Content-Length`` as one without a body.
    """
    chunks, more_body = [], True
    while more_body:
        message = await receive()
        chunks.append(message.get("body", b""))
        more_body = message.get("more_body", False)
    body = b"".join(chunks)
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    headers = [(name, value) for name, value in scope["headers"] if name != b"transfer-encoding"]
    return replay, {**scope, "headers": [*headers, (b"content-length", str(len(body)).encode())]}


class CollectingJSONBodyValidator(JSONRequestBodyValidator):
    """Validates a JSON request body against the contract and reports every error at once."""

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        if "chunked" in Headers(scope=scope).get("transfer-encoding", "").lower():
            receive, scope = await _with_length(receive, scope)
        headers = Headers(scope=scope)
        if self._required and not int(headers.get("content-length", 0) or 0):
            raise RequestInvalid([error_entry("missing", ["body"], "Field required", None)])
        if "content-type" not in headers:
            # like the real server, a body without a content type is read as JSON
            scope = {**scope, "headers": [*scope["headers"], (b"content-type", b"application/json")]}
        return await super().wrap_receive(receive, scope=scope)

    async def _parse(self, stream: t.AsyncGenerator[bytes, None], scope: Scope) -> t.Any:
        raw = b"".join([chunk async for chunk in stream])
        try:
            text = raw.decode(self._encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise json_invalid(exc) from exc
        if not text.strip():
            raise RequestInvalid([error_entry("missing", ["body"], "Field required", None)])
        try:
            body = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
        except (ValueError, RecursionError) as exc:
            raise json_invalid(exc) from exc
        if _may_nest_too_deeply(text) and _depth(body) > MAX_DEPTH:
            raise json_invalid(ValueError(f"JSON nested deeper than {MAX_DEPTH} levels"))
        not_unicode = lone_surrogates(body, ["body"]) if _may_hold_surrogates(text) else []
        if not_unicode:
            raise RequestInvalid(not_unicode)
        request_context(scope)[BODY_KEY] = body  # for the handler, parsed once
        return body

    def _validate(self, body: t.Any) -> None:
        validator, accepts = compiled(self._schema)
        if accepts is not None and accepts(body):
            return
        entries = describe_errors(validator.iter_errors(body), ["body"])
        if entries:
            raise RequestInvalid(entries, body)


_COMPILED: dict[int, tuple[dict, Draft4RequestValidator, t.Callable[[t.Any], bool] | None]] = {}


def compiled(schema: dict) -> tuple[Draft4RequestValidator, t.Callable[[t.Any], bool] | None]:
    """The validator of an operation's body schema and its compiled check
    (:mod:`handlers.fast_check`), built once: Connexion makes a new body validator per request,
    and building the schema validator was a tenth of a PATCH's CPU. Connexion hands out the same
    schema object on every request; the entry keeps it alive, so its ``id`` cannot be reused by
    another."""
    cached = _COMPILED.get(id(schema))
    if cached is None or cached[0] is not schema:
        validator = Draft4RequestValidator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
        cached = _COMPILED[id(schema)] = (schema, validator, compile_check(schema))
    return cached[1], cached[2]


def validator_map() -> dict:
    """Connexion's validators, with the JSON body validator replaced (form validators kept)."""
    body = dict(VALIDATOR_MAP["body"])
    body["*/*json"] = CollectingJSONBodyValidator
    return {"body": MediaTypeDict(body)}
