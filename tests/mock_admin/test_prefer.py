"""Issue 7 §2: Prefer: code=, example=, delay= (and Prism's __code, __example, __delay queries)."""

from __future__ import annotations

import pytest

SEED = "gpt-4-assistant"


def prefer(value: str) -> dict[str, str]:
    return {"Prefer": value}


def test_code_answers_that_status_with_the_contracts_example_and_changes_nothing(fresh_client):
    before = fresh_client.get(f"/models/{SEED}").json()

    response = fresh_client.patch(f"/models/{SEED}", json={"name": "claude-writer"}, headers=prefer("code=404"))

    assert response.status_code == 404
    assert response.json() == {"detail": "Model 'gpt-4-assistant' not found"}
    assert fresh_client.get(f"/models/{SEED}").json() == before


def test_code_of_a_success_answers_the_example_even_for_an_invalid_body(fresh_client):
    response = fresh_client.patch(f"/models/{SEED}", json={}, headers=prefer("code=200"))
    assert response.status_code == 200
    assert response.json()["updated_at"] == "2024-03-15T15:45:00Z"  # the contract's example


def test_an_undocumented_code_is_400_naming_the_documented_ones(fresh_client):
    response = fresh_client.get("/models/types/", headers=prefer("code=404"))
    assert response.status_code == 400
    assert response.json() == {"detail": "Prefer: code=404 is not documented for GET /models/types/; documented: 200, 401"}


def test_example_answers_a_named_example_with_its_status(fresh_client):
    response = fresh_client.patch(f"/models/{SEED}", json={"summary": "x"}, headers=prefer("example=nameTaken"))
    assert response.status_code == 409
    assert "already exists" in response.json()["detail"]
    unknown = fresh_client.patch(f"/models/{SEED}", json={"summary": "x"}, headers=prefer("example=nope"))
    assert unknown.status_code == 400
    assert "nameTaken (409)" in unknown.json()["detail"]


def test_prisms_query_forms_work_too(fresh_client):
    assert fresh_client.get("/models/", params={"__code": "403"}).status_code == 403
    assert fresh_client.get("/models/", params={"__code": "418"}).status_code == 400


def test_delay_waits_then_answers_normally(fresh_client):
    response = fresh_client.get(f"/models/{SEED}", headers=prefer("delay=120"))
    assert response.status_code == 200
    assert response.json()["name"] == SEED


def test_the_key_is_still_needed(fresh_client):
    response = fresh_client.get("/models/", headers={**prefer("code=200"), "Authorization": "Bearer wrong"})
    assert response.status_code == 401


def test_unknown_preferences_are_ignored_as_rfc_7240_says(fresh_client):
    response = fresh_client.get("/models/", headers=prefer("return=minimal, respond-async, dynamic=true"))
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["code=abc", "code=", "code=2000", "delay=-1", "delay=1.5", "delay=999999999",
                                   "example=" + "x" * 5000])
def test_malformed_preferences_are_400_and_change_nothing(fresh_client, value):
    before = fresh_client.get(f"/models/{SEED}").json()
    response = fresh_client.patch(f"/models/{SEED}", json={"summary": "no"}, headers=prefer(value))
    assert response.status_code == 400
    assert len(response.json()["detail"]) < 1000
    assert fresh_client.get(f"/models/{SEED}").json() == before


def test_an_oversized_prefer_header_is_read_only_in_part(fresh_client):
    response = fresh_client.get("/models/", headers={"Authorization": "Bearer demo-admin-key", "Prefer": "x=1," * 4000 + "code=403"})
    assert response.status_code == 200
