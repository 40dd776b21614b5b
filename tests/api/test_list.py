"""The list keeps each model's JSON until the model's next write: it must still equal, item for
item, what GET answers, through creates, PATCHes, renames and deletes, secrets hidden."""

from __future__ import annotations

import httpx

from tests.helpers import OPENAI_CONFIG

SECRET = "sk-list-0123456789abcdef"


def _listed(http: httpx.Client) -> list[dict]:
    response = http.get("/models/")
    assert response.status_code == 200, response.text
    assert SECRET not in response.text
    return response.json()


def assert_list_equals_the_gets(http: httpx.Client) -> list[str]:
    """Every list item is the model's GET without ``updated_at``; the names, in list order."""
    listed = _listed(http)
    for item in listed:
        detail = http.get(f"/models/{item['name']}").json()
        assert item == {key: value for key, value in detail.items() if key != "updated_at"}
    return [item["name"] for item in listed]


def test_the_list_equals_the_gets_after_every_kind_of_write(fresh_client):
    http = fresh_client
    configuration = {**OPENAI_CONFIG, "api_key": SECRET}
    for name in ("list-a", "list-b", "list-c"):
        body = {"name": name, "dtype": "openai", "configuration": configuration}
        assert http.post("/models/", json=body).status_code == 201
    before = assert_list_equals_the_gets(http)  # every piece is now kept

    assert http.patch("/models/list-a", json={"summary": "changed", "tags": "t"}).status_code == 200
    assert http.patch("/models/list-b", json={"name": "list-z"}).status_code == 200
    assert http.delete("/models/list-c").status_code == 200
    assert http.patch("/models/list-a", json={"name": "list-b"}).status_code == 200  # a freed name
    names = assert_list_equals_the_gets(http)

    assert "list-c" not in names and "list-a" not in names
    assert names.count("list-b") == 1 and "list-z" in names
    assert len(names) == len(before) - 1
    moved = next(item for item in _listed(http) if item["name"] == "list-b")
    assert moved["summary"] == "changed" and "api_key" not in moved["configuration"]  # omitted by default


def test_a_rejected_write_leaves_the_list_as_it_was(fresh_client):
    http = fresh_client
    before = _listed(http)
    taken = before[1]["name"]
    assert http.patch(f"/models/{before[0]['name']}", json={"name": taken}).status_code == 409
    assert http.patch(f"/models/{before[0]['name']}", json={}).status_code == 422
    assert _listed(http) == before
