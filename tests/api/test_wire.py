"""docs/contract.md §12: the body limit (413), media types, chunked bodies and numbers JSON cannot carry."""

from __future__ import annotations

import socket

import pytest

from tests.helpers import (
    assert_422,
    assert_json,
    openai_body,
    snapshot,
)

TOO_LARGE = {"detail": "Request body too large"}
LIMIT = 1024 * 1024


def raw_exchange(server, head: bytes, body_chunks, *, read_after: int) -> bytes:
    """Sends ``head`` and then body chunks on a socket, and reads the answer after ``read_after`` chunks."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as conn:
        conn.sendall(head)
        for index, chunk in enumerate(body_chunks):
            if index == read_after:
                break
            conn.sendall(chunk)
        conn.shutdown(socket.SHUT_WR) if read_after == 0 else None
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.endswith(b"}"):
            data = conn.recv(65536)
            if not data:
                break
            answer += data
        return answer


def _head(method: str, path: str, token: str, *headers: str) -> bytes:
    lines = [f"{method} /api/v1{path} HTTP/1.1", "Host: 127.0.0.1", f"Authorization: Bearer {token}",
             "Content-Type: application/json", *headers, "", ""]
    return "\r\n".join(lines).encode()


def test_a_declared_length_over_the_limit_is_413_before_the_body_is_sent(mock_server, client):
    before = snapshot(client, "gpt-4-assistant")
    head = _head("PATCH", "/models/gpt-4-assistant", mock_server.token, f"Content-Length: {100 * LIMIT}")

    answer = raw_exchange(mock_server, head, [], read_after=0)

    assert answer.startswith(b"HTTP/1.1 413 ")
    assert answer.endswith(b'{"detail": "Request body too large"}')
    assert snapshot(client, "gpt-4-assistant") == before


def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit(mock_server, client):
    before = snapshot(client, "gpt-4-assistant")
    chunk = b'{"summary": "' + b"x" * (64 * 1024)
    frames = [b"%x\r\n%s\r\n" % (len(chunk), chunk)] + [b"%x\r\n%s\r\n" % (64 * 1024, b"x" * 64 * 1024)] * 1000
    head = _head("PATCH", "/models/gpt-4-assistant", mock_server.token, "Transfer-Encoding: chunked")

    answer = raw_exchange(mock_server, head, frames, read_after=20)  # 1.3 MiB of the 64 MiB sent

    assert answer.startswith(b"HTTP/1.1 413 ")
    assert answer.endswith(b'{"detail": "Request body too large"}')
    assert snapshot(client, "gpt-4-assistant") == before


@pytest.mark.parametrize("size, status", [(LIMIT, 422), (LIMIT + 1, 413)], ids=["at the limit", "one byte over"])
def test_the_limit_counts_bytes_of_the_body(client, size, status):
    body = b'{"summary": ' + b" " * (size - len(b'{"summary": "x"}')) + b'"x"}'
    assert len(body) == size

    response = client.post("/models/", content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == status
    if status == 413:
        assert assert_json(response, 413) == TOO_LARGE


def test_the_limit_is_configurable(start_server):
    with start_server(max_body_bytes=100).client() as http:
        small = http.patch("/models/gpt-4-assistant", json={"summary": "fits"})
        large = http.patch("/models/gpt-4-assistant", json={"summary": "x" * 100})

    assert assert_json(small, 200)["summary"] == "fits"
    assert assert_json(large, 413) == TOO_LARGE


@pytest.mark.parametrize("media_type", ["APPLICATION/JSON", "Application/Json; charset=UTF-8"])
def test_media_types_are_case_insensitive(client, create_model, unique_name, media_type):
    name = create_model(unique_name("wire-case"))["name"]

    patched = client.patch(f"/models/{name}", content=b'{"summary": "cased"}', headers={"Content-Type": media_type})
    invalid = client.patch(f"/models/{name}", content=b'{"summary": 5}', headers={"Content-Type": media_type})

    assert assert_json(patched, 200)["summary"] == "cased"
    assert [entry["type"] for entry in assert_422(invalid)] == ["string_type"]


def test_a_valid_chunked_body_is_accepted(client, unique_name):
    name = unique_name("wire-chunked")
    parts = [b'{"name": "', name.encode(), b'", "dtype": "ollama", ', b'"configuration": {"model": "m"}}']

    response = client.post("/models/", content=iter(parts), headers={"Content-Type": "application/json"})

    assert "content-length" not in response.request.headers
    assert assert_json(response, 201)["name"] == name


def test_an_empty_chunked_body_is_a_missing_body(client):
    response = client.patch("/models/gpt-4-assistant", content=iter([b""]), headers={"Content-Type": "application/json"})

    assert [(entry["type"], entry["loc"]) for entry in assert_422(response)] == [("missing", ["body"])]


@pytest.mark.parametrize("number", [b"1e400", b"-1e400", b"1" + b"0" * 5000])
def test_numbers_json_cannot_carry_back_are_json_invalid(client, unique_name, number):
    name = unique_name("wire-inf")
    body = b'{"name": "%s", "dtype": "anthropic", "configuration": {"api_key": "k", "max_tokens": %s}}' % (
        name.encode(), number)
    before = snapshot(client, name)

    entries = assert_422(client.post("/models/", content=body, headers={"Content-Type": "application/json"}))

    assert [entry["type"] for entry in entries] == ["json_invalid"]
    assert snapshot(client, name) == before


def test_large_finite_numbers_are_fine(client, unique_name):
    body = {**openai_body(unique_name("wire-big")), "configuration": {"api_key": "k", "temperature": 1e300}}

    assert assert_json(client.post("/models/", json=body), 201)["configuration"]["temperature"] == 1e300
