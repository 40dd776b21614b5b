"""A validated request body reaches the handler from memory (issue 10, PATCH's cost): the handler
never reads it through a2wsgi's channel to the event loop, and gets exactly what was sent."""

from __future__ import annotations

import json
import uuid

import pytest
from a2wsgi.wsgi import Body

from tests.helpers import openai_body


@pytest.fixture
def no_body_channel(monkeypatch) -> None:
    def refused(self):
        raise AssertionError("the body was read through a2wsgi's channel to the event loop")

    monkeypatch.setattr(Body, "_receive_more_data", refused)


def test_create_and_patch_bodies_come_from_memory(no_body_channel, start_server):
    name = f"buffered-{uuid.uuid4().hex[:8]}"
    with start_server().client() as http:
        created = http.post("/models/", json=openai_body(name, summary="é \U0001f600 \x00"))
        assert created.status_code == 201, created.text
        assert created.json()["summary"] == "é \U0001f600 \x00"
        patched = http.patch(f"/models/{name}", json={"summary": "new \u202e", "tags": None})
        assert patched.status_code == 200, patched.text
        assert (patched.json()["summary"], patched.json()["tags"]) == ("new \u202e", created.json()["tags"])
        assert http.get(f"/models/{name}").json() == patched.json()


def test_a_chunked_body_comes_from_memory_too(no_body_channel, start_server):
    def chunks():
        yield b'{"summary": '
        yield json.dumps("sent in two chunks").encode()
        yield b"}"

    with start_server().client() as http:
        name = http.get("/models/").json()[0]["name"]
        patched = http.patch(f"/models/{name}", content=chunks(), headers={"Content-Type": "application/json"})
        assert patched.status_code == 200, patched.text
        assert patched.json()["summary"] == "sent in two chunks"


def test_a_refused_body_still_changes_nothing(no_body_channel, start_server):
    with start_server().client() as http:
        before = http.get("/models/").json()
        refused = http.patch(f"/models/{before[0]['name']}", json={"summary": 5})
        assert refused.status_code == 422
        assert http.get("/models/").json() == before
