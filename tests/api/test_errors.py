"""docs/contract.md §4: error bodies, the 422 list shape, and never a 500 / HTML / stack trace."""

from __future__ import annotations

import json

import pytest

from tests.contract import AT_LEAST_ONE_FIELD
from tests.helpers import (
    assert_401,
    assert_422,
    assert_detail,
    assert_json,
    assert_not_server_error,
    errors_at,
    get_model,
    openai_body,
    snapshot,
)

JSON = {"Content-Type": "application/json"}


# -- handler errors: {"detail": "<message>"} --------------------------------------------------------

def test_handler_errors_are_a_detail_string(client, create_model, unique_name):
    taken = create_model(unique_name("err-taken"))["name"]
    missing = unique_name("err-missing")
    before = snapshot(client, taken, missing)

    assert_detail(client.get(f"/models/{missing}"), 404, f"Model '{missing}' not found")
    assert_detail(client.delete(f"/models/{missing}"), 404, f"Model '{missing}' not found")
    assert_detail(client.get("/models/types/zzz"), 404, "Model type 'zzz' not found")
    assert_detail(client.post("/models/", json={**openai_body(missing), "dtype": "zzz"}), 400, "Model type 'zzz' not found")
    assert_detail(client.post("/models/", json=openai_body(taken)), 409, f"Model '{taken}' already exists")
    assert snapshot(client, taken, missing) == before


# -- 422: {"detail": [{"type", "loc", "msg", "input"}, ...]} ------------------------------------------

def _patch_rejected(client, name, **request):
    before = snapshot(client, name)
    entries = assert_422(client.patch(f"/models/{name}", **request))
    assert snapshot(client, name) == before
    return entries


def test_patch_without_body_is_one_missing_entry(client, create_model, unique_name):
    name = create_model(unique_name("err-nobody"))["name"]

    entries = _patch_rejected(client, name)

    assert errors_at(entries) == [("missing", ["body"])]


@pytest.mark.parametrize("body", [{}, {"name": None, "summary": None, "tags": None}, {"tags": None}],
                         ids=["empty object", "all null", "one null"])
def test_patch_without_an_updatable_field_is_one_entry(client, create_model, unique_name, body):
    name = create_model(unique_name("err-empty"))["name"]

    entries = _patch_rejected(client, name, json=body)

    assert len(entries) == 1
    assert entries[0]["loc"] == ["body"]
    assert entries[0]["msg"] == AT_LEAST_ONE_FIELD
    assert entries[0]["input"] == body


def test_number_for_a_string_is_string_type(client, create_model, unique_name):
    name = create_model(unique_name("err-type"))["name"]

    entries = _patch_rejected(client, name, json={"name": 5})

    assert entries == [{"type": "string_type", "loc": ["body", "name"], "msg": "Input should be a valid string", "input": 5}]


@pytest.mark.parametrize("raw", [b"{not json", b'{"summary": "x",}', b'{"summary": "x"', b"\xff\xfe{}"],
                         ids=["bare word", "trailing comma", "unterminated", "not utf-8"])
def test_malformed_json_is_json_invalid(client, create_model, unique_name, raw):
    name = create_model(unique_name("err-json"))["name"]

    entries = _patch_rejected(client, name, content=raw, headers=JSON)

    assert [entry["type"] for entry in entries] == ["json_invalid"]


def test_post_missing_fields_is_one_missing_entry_per_field(client, unique_name):
    before = snapshot(client)

    entries = assert_422(client.post("/models/", json={}))

    assert sorted(errors_at(entries)) == [
        ("missing", ["body", "configuration"]), ("missing", ["body", "dtype"]), ("missing", ["body", "name"])]
    assert all(entry["msg"] == "Field required" for entry in entries)
    only_name = assert_422(client.post("/models/", json={"name": unique_name("err-missing")}))
    assert sorted(errors_at(only_name)) == [("missing", ["body", "configuration"]), ("missing", ["body", "dtype"])]
    assert snapshot(client) == before


def test_every_problem_of_a_patch_is_listed(client, create_model, unique_name):
    name = create_model(unique_name("err-many"))["name"]

    entries = _patch_rejected(client, name, json={"name": 5, "summary": 3, "tags": []})

    assert errors_at(entries) == [
        ("string_type", ["body", "name"]), ("string_type", ["body", "summary"]), ("string_type", ["body", "tags"])]


def test_every_problem_of_a_create_is_listed(client, unique_name):
    before = snapshot(client)

    entries = assert_422(client.post("/models/", json={"name": 5, "dtype": 7, "summary": None}))

    assert sorted(errors_at(entries)) == [
        ("missing", ["body", "configuration"]), ("string_type", ["body", "dtype"]),
        ("string_type", ["body", "name"]), ("string_type", ["body", "summary"])]
    assert snapshot(client) == before


@pytest.mark.parametrize("raw", [b"[]", b'"text"', b"5", b"null", b"true"])
def test_a_body_that_is_not_an_object_is_422(client, create_model, unique_name, raw):
    name = create_model(unique_name("err-notobj"))["name"]
    before = snapshot(client, name)

    for response in (client.patch(f"/models/{name}", content=raw, headers=JSON),
                     client.post("/models/", content=raw, headers=JSON)):
        assert [entry["loc"] for entry in assert_422(response)] == [["body"]]
    assert snapshot(client, name) == before


# -- never a 500, never HTML or text, never a stack trace ------------------------------------------

@pytest.mark.parametrize("raw, content_type", [
    (b'{"summary": "x"}', "text/plain"),
    (b"summary=x", "application/x-www-form-urlencoded"),
    (b'{"summary": "x"}', "application/xml"),
    (b"\x00\x01\x02\xff", "application/octet-stream"),
    (b"[" * 100_000 + b"]" * 100_000, "application/json"),
    (b'{"summary": ' + b"[" * 900 + b"]" * 900 + b"}", "application/json"),
    (b'{"summary": "' + "é".encode("latin-1") + b'"}', "application/json"),
    (b"\xef\xbb\xbf\xff" * 1000, "application/json"),
], ids=["text/plain", "form", "xml", "binary", "nested 100000 deep", "nested 900 deep in a field",
        "latin-1 byte", "garbage bytes"])
def test_odd_patch_bodies_are_rejected_as_json_422(client, create_model, unique_name, raw, content_type):
    name = create_model(unique_name("err-odd"))["name"]

    _patch_rejected(client, name, content=raw, headers={"Content-Type": content_type})


@pytest.mark.parametrize("raw", [b'{"summary": NaN}', b'{"summary": Infinity}', b'{"tags": -Infinity}'])
def test_non_json_numbers_are_422_with_a_valid_json_body(client, create_model, unique_name, raw):
    """NaN/Infinity are not JSON (RFC 8259): the 422 must still be a body a browser's JSON.parse reads."""
    name = create_model(unique_name("err-nan"))["name"]

    entries = _patch_rejected(client, name, content=raw, headers=JSON)

    assert [entry["type"] for entry in entries] in (["json_invalid"], ["string_type"])


def test_post_with_odd_bodies_changes_nothing(client, unique_name):
    before = snapshot(client)

    for raw, content_type in [(b"name=x&dtype=openai", "application/x-www-form-urlencoded"),
                              (json.dumps(openai_body(unique_name("err-plain"))).encode(), "text/plain"),
                              (b"[" * 100_000, "application/json")]:
        assert_422(client.post("/models/", content=raw, headers={"Content-Type": content_type}))
    assert snapshot(client) == before


def test_json_body_without_content_type_is_read_as_json(client, create_model, unique_name):
    """A JSON body sent without Content-Type is read as JSON, as the real server reads it."""
    name = create_model(unique_name("err-noctype"))["name"]
    before = snapshot(client, name)
    request = client.build_request("PATCH", f"/models/{name}", content=b'{"summary": "sent without a type"}')
    request.headers.pop("Content-Type", None)

    response = client.send(request)

    body = assert_json(response, 200)
    assert body["summary"] == "sent without a type"
    assert assert_json(get_model(client, name), 200) == body
    assert {**before["models"][name][1], "summary": body["summary"], "updated_at": body["updated_at"]} == body


def test_create_without_content_type_is_read_as_json(client, unique_name):
    name = unique_name("err-noctype")
    request = client.build_request("POST", "/models/", content=json.dumps(openai_body(name)).encode())
    request.headers.pop("Content-Type", None)

    response = client.send(request)

    body = assert_json(response, 201)
    assert body["name"] == name
    assert assert_json(get_model(client, name), 200) == body
    assert client.delete(f"/models/{name}").status_code == 200


def test_deeply_nested_configuration_is_refused_and_changes_nothing(client, unique_name):
    name = unique_name("err-deep")
    nested: object = "leaf"
    for _ in range(800):
        nested = {"a": nested}
    body = openai_body(name)
    body["configuration"]["extra"] = nested
    before = snapshot(client, name)

    response = client.post("/models/", json=body)

    assert_not_server_error(response)
    assert_422(response)
    assert response.json()["detail"][0]["type"] == "json_invalid"
    assert snapshot(client, name) == before


@pytest.mark.parametrize("path", ["/models/%FF", "/models/%00", "/models/" + "%C3%A9" * 500, "/nowhere", "/models/a/b/c"])
def test_odd_paths_answer_json_404(client, path):
    before = snapshot(client)

    body = assert_json(client.get(path), 404)

    assert isinstance(body["detail"], str)
    assert snapshot(client) == before


def test_non_ascii_header_bytes_answer_json(client):
    body = assert_json(client.get("/models/", headers={"X-Tenant-Name": b"\xff\xfe"}), 404)
    assert isinstance(body["detail"], str)
    assert_401(client.get("/models/", headers={"Authorization": b"Bearer demo-admin-key\xff"}))
