"""Flask's side of a request without round trips to the event loop (issue 10, PATCH's cost): the
body the validator parsed reaches the handler, exactly as sent, and nothing parses or reads it a
second time; the answer goes out whole once the handler returned. With a2wsgi's channel between
Flask's thread and the event loop made to fail, every route still answers as it should."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
from a2wsgi import wsgi
from a2wsgi.wsgi import Body
from werkzeug.wrappers import Request

from tests.helpers import openai_body


@pytest.fixture
def no_body_channel(monkeypatch) -> None:
    def refused(self):
        raise AssertionError("the body was read through a2wsgi's channel to the event loop")

    monkeypatch.setattr(Body, "_receive_more_data", refused)


@pytest.fixture
def flask_sees_no_body(monkeypatch) -> None:
    def refused(self, *args, **kwargs):
        raise AssertionError("Flask read the request body a second time, or prepared to")

    for method in ("get_data", "get_json", "make_form_data_parser"):
        monkeypatch.setattr(Request, method, refused)


@pytest.fixture
def no_thread_to_loop_calls(monkeypatch) -> None:
    def refused(coroutine, loop):
        coroutine.close()
        raise AssertionError("Flask's thread waited on the event loop")

    monkeypatch.setattr(wsgi.asyncio, "run_coroutine_threadsafe", refused)


def test_every_answer_goes_out_without_the_thread_waiting_on_the_loop(no_thread_to_loop_calls, start_server):
    name = f"whole-{uuid.uuid4().hex[:8]}"
    with start_server().client() as http:
        assert http.post("/models/", json=openai_body(name)).status_code == 201
        listed = http.get("/models/")
        assert listed.status_code == 200 and name in [model["name"] for model in listed.json()]
        assert listed.headers["content-length"] == str(len(listed.content))
        one = http.get(f"/models/{name}")
        (item,) = [model for model in listed.json() if model["name"] == name]
        assert one.status_code == 200 and {key: one.json()[key] for key in item} == item
        assert http.patch(f"/models/{name}", json={"tags": "x"}).json()["tags"] == "x"
        missing = http.get("/models/no-such-model")
        assert missing.status_code == 404 and missing.json() == {"detail": "Model 'no-such-model' not found"}
        assert http.delete(f"/models/{name}").status_code == 200
        assert http.get(f"/models/{name}").status_code == 404


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


def test_every_body_reaches_its_handler_parsed_once(flask_sees_no_body, no_body_channel, start_server):
    """Each operation with a body, both APIs: the handler acts on the body as sent."""
    name = f"once-{uuid.uuid4().hex[:8]}"
    server = start_server()
    with server.client() as http:
        assert http.post("/models/", json=openai_body(name)).json()["name"] == name
        assert http.patch(f"/models/{name}", json={"summary": "parsed once"}).json()["summary"] == "parsed once"
        action = "/models/types/openai/actions/fetch_available_models"
        missing = http.post(action, json={"base_url": "http://127.0.0.1:9"})  # the action saw no api_key
        assert missing.status_code == 422 and "api_key" in missing.json()["detail"], missing.text
        assert http.post(action).status_code == 422  # no body: the contract's default, {}
    with httpx.Client(base_url=server.root_url + "/__mock", timeout=30,
                      headers={"Authorization": "Bearer demo-admin-key"}) as control:
        rules = [{"match": {"operation": "listModels"}, "status": 503}]
        assert control.put("/rules", json=rules).json() == [{**rules[0], "remaining": None}]
        state = control.get("/state").json()
        state["models"] = [model for model in state["models"] if model["name"] != name]
        assert control.put("/state", json=state).status_code == 200
    with server.client() as http:
        assert http.get(f"/models/{name}").status_code == 404  # the imported state, without the model
