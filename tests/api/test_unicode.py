"""docs/contract.md §12: a lone surrogate is 422 ``string_unicode`` and changes nothing, in memory and
DATA mode alike; paired surrogates, controls, RTL and combining marks are stored exactly."""

from __future__ import annotations

import pytest

from tests.helpers import (
    assert_422,
    assert_json,
    openai_body,
    snapshot,
)

STRING_UNICODE = "Input should be a valid string, unable to parse raw data as a unicode string"
JSON = {"Content-Type": "application/json"}


def entry(*loc) -> dict:
    return {"type": "string_unicode", "loc": ["body", *loc], "msg": STRING_UNICODE, "input": None}


@pytest.fixture(params=["memory", "data file"])
def http(request, start_server, tmp_path):
    """A fresh mock in memory, or on a data file."""
    data_path = tmp_path / "state.json" if request.param == "data file" else None
    with start_server(data_path=data_path).client() as client:
        yield client


@pytest.mark.parametrize("raw, loc", [
    (b'{"summary": "a\\ud800b"}', ["summary"]),
    (b'{"tags": "\\udfff"}', ["tags"]),
    (b'{"name": "x\\udc00"}', ["name"]),
    (b'{"summary": "ok", "\\ud800": "key"}', ["\ud800"]),
], ids=["summary", "tags", "name", "a key"])
def test_a_lone_surrogate_in_a_patch_is_422_and_changes_nothing(http, raw, loc):
    before = snapshot(http, "gpt-4-assistant")

    entries = assert_422(http.patch("/models/gpt-4-assistant", content=raw, headers=JSON))

    assert entries == [entry(*loc)]
    assert snapshot(http, "gpt-4-assistant") == before


def test_a_lone_surrogate_in_a_nested_configuration_value_is_422_on_create(http):
    raw = (b'{"name": "surrogate", "dtype": "openai", "configuration": {"api_key": "sk-x", '
           b'"extra": [{"note": "\\ud83d"}]}}')
    before = snapshot(http, "surrogate")

    entries = assert_422(http.post("/models/", content=raw, headers=JSON))

    assert entries == [entry("configuration", "extra", 0, "note")]
    assert snapshot(http, "surrogate") == before


def test_writes_go_on_working_after_a_rejected_surrogate(http):
    """The issue's failure: after one such write every later write answered 500 in DATA mode."""
    assert_422(http.patch("/models/gpt-4-assistant", content=b'{"summary": "\\udfff"}', headers=JSON))

    for n in range(5):
        assert assert_json(http.patch("/models/gpt-4-assistant", json={"summary": f"s{n}"}), 200)["summary"] == f"s{n}"


@pytest.mark.parametrize("text", ["\U0001f600 emoji", "nul\x00 and \x1f controls", "\u202eRTL\u202c", "e\u0301"],
                         ids=["emoji", "controls", "rtl", "combining"])
def test_other_unusual_text_is_stored_and_returned_exactly(http, text):
    created = assert_json(http.post("/models/", json={**openai_body("unusual"), "summary": text, "tags": text}), 201)

    assert (created["summary"], created["tags"]) == (text, text)
    assert assert_json(http.get("/models/unusual"), 200)["summary"] == text


def test_a_paired_surrogate_escape_is_an_emoji_and_is_stored(http):
    raw = b'{"summary": "\\ud83d\\ude00"}'

    assert assert_json(http.patch("/models/gpt-4-assistant", content=raw, headers=JSON), 200)["summary"] == "\U0001f600"
