"""The compiled body check never accepts what jsonschema refuses (handlers.fast_check).

Its "yes" skips jsonschema, so a body it accepts wrongly would be stored although the contract
forbids it. Each request body schema of the contract is checked against bodies built near its
edges: the names it forbids, lengths around its bounds, nulls, wrong types, unknown fields,
nesting. Valid bodies must take the fast way, or the check would only cost time.
"""

from __future__ import annotations

import copy

import pytest
from connexion.json_schema import resolve_refs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.contract import document, read_yaml
from handlers.fast_check import compile_check
from handlers.mock_admin.controls import ADMIN_CONTRACT
from handlers.validation import compiled


def _body_schemas() -> dict[str, dict]:
    """Every JSON request body schema of both contracts (the product's, the control plane's),
    resolved as Connexion hands them to the validator."""
    found = {}
    for spec in (resolve_refs(copy.deepcopy(document())), resolve_refs(read_yaml(ADMIN_CONTRACT))):
        for path, operations in spec["paths"].items():
            for method, operation in operations.items():
                content = operation.get("requestBody", {}).get("content", {}) if isinstance(operation, dict) else {}
                if "application/json" in content:
                    found[f"{method.upper()} {path}"] = content["application/json"]["schema"]
    return found


BODY_SCHEMAS = _body_schemas()
EDGE_TEXTS = ["", "a", "types", ".", "..", "a/b", "x" * 255, "x" * 256, "x" * 257, "x" * 1999, "x" * 2000,
              "x" * 2001, "x" * 9999, "x" * 10000, "x" * 10001, "\x00", "é" * 256, "openai", "ollama", "anthropic"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                    st.sampled_from(EDGE_TEXTS), st.text(max_size=20))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(["api_key", "model", "base_url", "x", "name"]) | st.text(max_size=5), inner, max_size=3),
    max_leaves=8)


def _bodies(schema: dict):
    known = sorted(schema.get("properties", {}))
    keys = st.sampled_from(known) | st.text(max_size=8) if known else st.text(max_size=8)
    return st.one_of(st.dictionaries(keys, VALUES, max_size=6), VALUES)


def _jsonschema_accepts(schema: dict, body) -> bool:
    validator, _ = compiled(schema)
    return not any(True for _ in validator.iter_errors(body))


def test_the_product_contracts_request_bodies_get_a_check():
    for operation in ("PATCH /models/{name}", "POST /models/", "POST /models/types/{dtype}/actions/{action_name}"):
        assert compile_check(BODY_SCHEMAS[operation]) is not None, operation


@pytest.mark.parametrize("operation", sorted(op for op, schema in BODY_SCHEMAS.items() if compile_check(schema)))
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.data())
def test_the_check_accepts_nothing_jsonschema_refuses(operation, data):
    schema = BODY_SCHEMAS[operation]
    body = data.draw(_bodies(schema))
    if compile_check(schema)(body):
        assert _jsonschema_accepts(schema, body), body


VALID = {
    "PATCH /models/{name}": [{"summary": "x"}, {"name": "renamed", "summary": None}, {"tags": "a,b", "name": None}],
    "POST /models/": [{"name": "n1", "dtype": "ollama", "configuration": {"base_url": "http://x", "model": "m"}},
                      {"name": "n2", "dtype": "openai", "configuration": {"api_key": "sk-1"}, "summary": ""}],
}


@pytest.mark.parametrize("operation", sorted(VALID))
def test_valid_bodies_take_the_fast_way(operation):
    validator, accepts = compiled(BODY_SCHEMAS[operation])
    for body in VALID[operation]:
        assert not list(validator.iter_errors(body)), body
        assert accepts(body), body


@pytest.mark.parametrize("nullable", [{"nullable": True}, {"x-nullable": True}])
def test_nullable_is_read_as_connexion_reads_it(nullable):
    schema = {"type": "object", "properties": {"a": {"type": "string", "enum": ["x"], **nullable}}}
    accepts = compile_check(schema)
    assert accepts({"a": None}) and accepts({"a": "x"})
    assert not accepts({"a": "y"}) and not accepts({"a": 1})
    assert not compile_check({"type": "object", "properties": {"a": {"type": "string"}}})({"a": None})


def test_a_schema_that_contains_itself_gets_no_check_and_jsonschema_judges_alone():
    """A recursive ``$ref`` (the control plane's JSON values) resolves into a cycle."""
    schema = {"type": "object", "properties": {}}
    schema["properties"]["child"] = schema
    assert compile_check(schema) is None
    validator, accepts = compiled(schema)
    assert accepts is None
    assert list(validator.iter_errors({"child": {"child": 1}}))
