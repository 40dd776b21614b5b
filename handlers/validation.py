"""Request body validation by the contract, reported as the real server reports it.

Connexion's own JSON body validator stops at the first error and answers 400; this one
collects every error with ``iter_errors`` and raises :class:`RequestInvalid` (422).
"""

from __future__ import annotations

import json
import typing as t

from connexion.datastructures import MediaTypeDict
from connexion.json_schema import Draft4RequestValidator
from connexion.validators import (
    VALIDATOR_MAP,
    JSONRequestBodyValidator,
)
from jsonschema import Draft4Validator, ValidationError
from starlette.datastructures import Headers
from starlette.types import Receive, Scope

from handlers.errors import RequestInvalid, error_entry

MAX_DEPTH = 64
"""Deepest nesting of arrays and objects a body may have; deeper ones are refused before
anything recursive (validation, copies) touches them."""

AT_LEAST_ONE_FIELD = "Value error, At least one field (name, summary, or tags) must be provided"

_TYPE_ERRORS = {
    "string": ("string_type", "Input should be a valid string"),
    "object": ("dict_type", "Input should be a valid dictionary"),
    "array": ("list_type", "Input should be a valid list"),
    "integer": ("int_type", "Input should be a valid integer"),
    "number": ("float_type", "Input should be a valid number"),
    "boolean": ("bool_type", "Input should be a valid boolean"),
}


def describe_errors(errors: t.Iterable[ValidationError], loc: list) -> list[dict]:
    """Translate jsonschema errors into the real server's 422 entries, one per problem.

    ``loc`` is the location of the validated instance (``["body"]`` for a request body).
    An ``anyOf`` at the body's root is the PATCH rule "at least one field"; like the real
    server, it is reported only when no field itself is wrong.
    """
    entries: list[dict] = []
    seen_missing: set[tuple] = set()
    root_any_of = None
    for error in errors:
        path = [*loc, *error.absolute_path]
        if error.validator == "required":
            for prop in error.validator_value:
                key = (*path, prop)
                if prop not in error.instance and key not in seen_missing:
                    seen_missing.add(key)
                    entries.append(error_entry("missing", [*path, prop], "Field required", error.instance))
        elif error.validator == "anyOf" and not error.absolute_path:
            root_any_of = error
        else:
            entries.append(_entry(error, path))
    if root_any_of is not None and not entries:
        entries.append(error_entry("value_error", list(loc), AT_LEAST_ONE_FIELD, root_any_of.instance, {"error": {}}))
    return entries


def _entry(error: ValidationError, path: list) -> dict:
    value = error.instance
    if error.validator == "type":
        if not error.absolute_path and error.validator_value == "object":
            return error_entry(
                "model_attributes_type", path,
                "Input should be a valid dictionary or object to extract fields from", value,
            )
        kind, msg = _TYPE_ERRORS.get(str(error.validator_value), ("type_error", error.message))
        return error_entry(kind, path, msg, value)
    if error.validator == "minLength":
        limit = error.validator_value
        return error_entry(
            "string_too_short", path,
            f"String should have at least {limit} character{'s' if limit != 1 else ''}",
            value, {"min_length": limit},
        )
    if error.validator == "maxLength":
        limit = error.validator_value
        return error_entry(
            "string_too_long", path,
            f"String should have at most {limit} character{'s' if limit != 1 else ''}",
            value, {"max_length": limit},
        )
    if error.validator == "pattern":
        return error_entry(
            "string_pattern_mismatch", path,
            f"String should match pattern '{error.validator_value}'",
            value, {"pattern": error.validator_value},
        )
    if error.validator == "not":
        return error_entry("value_error", path, f"Value error, {value!r} is a reserved name", value, {"error": {}})
    return error_entry("value_error", path, f"Value error, {error.message}", value, {"error": {}})


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


def _reject_constant(constant: str) -> None:
    """``NaN`` and ``Infinity`` are not JSON; echoing them back would make the answer invalid JSON."""
    raise ValueError(f"Invalid JSON constant {constant}")


class CollectingJSONBodyValidator(JSONRequestBodyValidator):
    """Validates a JSON request body against the contract and reports every error at once."""

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> t.Tuple[Receive, Scope]:
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
            body = json.loads(text, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as exc:
            raise json_invalid(exc) from exc
        if _depth(body) > MAX_DEPTH:
            raise json_invalid(ValueError(f"JSON nested deeper than {MAX_DEPTH} levels"))
        return body

    def _validate(self, body: t.Any) -> None:
        validator = Draft4RequestValidator(self._schema, format_checker=Draft4Validator.FORMAT_CHECKER)
        entries = describe_errors(validator.iter_errors(body), ["body"])
        if entries:
            raise RequestInvalid(entries)


def validator_map() -> dict:
    """Connexion's validators, with the JSON body validator replaced (form validators kept)."""
    body = dict(VALIDATOR_MAP["body"])
    body["*/*json"] = CollectingJSONBodyValidator
    return {"body": MediaTypeDict(body)}
