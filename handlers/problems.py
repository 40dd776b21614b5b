"""jsonschema's errors described as the real server's 422 entries, free of any web framework.

Used for request bodies (:mod:`handlers.validation`) and for a configuration checked against
its model type's schema (:mod:`handlers.rules`).
"""

from __future__ import annotations

import typing as t

from jsonschema import ValidationError

from handlers.errors import error_entry

ANY_OF_MESSAGE = "x-any-of-message"
"""The contract states, on a schema with an ``anyOf`` (ModelUpdate), the 422 message when none holds."""

_TYPE_ERRORS = {
    "string": ("string_type", "Input should be a valid string"),
    "object": ("dict_type", "Input should be a valid dictionary"),
    "array": ("list_type", "Input should be a valid list"),
    "integer": ("int_type", "Input should be a valid integer"),
    "number": ("float_type", "Input should be a valid number"),
    "boolean": ("bool_type", "Input should be a valid boolean"),
}

_LENGTH_ERRORS = {
    "minLength": ("string_too_short", "at least", "min_length"),
    "maxLength": ("string_too_long", "at most", "max_length"),
}


def describe_errors(errors: t.Iterable[ValidationError], loc: list) -> list[dict]:
    """Translate jsonschema errors into the real server's 422 entries, one per problem.

    ``loc`` is the location of the validated instance (``["body"]`` for a request body).
    An ``anyOf`` at the body's root is the PATCH rule "at least one field", with the message
    its schema states; like the real server, it is reported only when no field itself is wrong.
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
        msg = root_any_of.schema.get(ANY_OF_MESSAGE) or f"Value error, {root_any_of.message}"
        entries.append(error_entry("value_error", list(loc), msg, root_any_of.instance, {"error": {}}))
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
    if error.validator in _LENGTH_ERRORS:
        kind, bound, ctx_key = _LENGTH_ERRORS[error.validator]
        limit = error.validator_value
        return error_entry(
            kind, path, f"String should have {bound} {limit} character{'s' if limit != 1 else ''}", value, {ctx_key: limit},
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


STRING_UNICODE = "Input should be a valid string, unable to parse raw data as a unicode string"


def _is_unicode(text: str) -> bool:
    """False for a string holding a lone surrogate (``"\\ud800"`` is valid JSON text, not Unicode)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def lone_surrogates(value: t.Any, loc: list) -> list[dict]:
    """A ``string_unicode`` entry for each string, value or key, at any depth that is not Unicode.

    Such a string could be neither stored in the data file nor sent back as UTF-8 (docs/contract.md §12).
    """
    entries: list[dict] = []
    pending = [(value, loc)]
    while pending:
        current, path = pending.pop()
        if isinstance(current, str):
            if not _is_unicode(current):
                entries.append(error_entry("string_unicode", path, STRING_UNICODE, None))
        elif isinstance(current, dict):
            items = list(current.items())
            entries.extend(error_entry("string_unicode", [*path, key], STRING_UNICODE, None)
                           for key, _ in items if not _is_unicode(key))
            pending.extend(((item, [*path, key]) for key, item in reversed(items)))
        elif isinstance(current, list):
            pending.extend((item, [*path, index]) for index, item in reversed(list(enumerate(current))))
    return entries
