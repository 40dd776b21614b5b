"""The seed example answers as the documentation shows (the README's walk-through)."""


def test_seed_patch_returns_documented_shape(fresh_client):
    body = {"summary": "GPT-4 model optimized for customer support", "tags": "openai,gpt-4,support,production"}
    response = fresh_client.patch("/models/gpt-4-assistant", json=body)
    assert response.status_code == 200
    model = response.json()
    assert model["id"] == "550e8400-e29b-41d4-a716-446655440000"
    assert model["summary"] == body["summary"] and model["tags"] == body["tags"]
    assert "api_key" not in model["configuration"]  # omitted, as the real server does (--secrets masked: sk-...)
    assert model["connected_endpoints"] == [
        {"id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "name": "Support Assistant", "slug": "support-assistant"}
    ]
    assert model["created_at"] == "2024-03-15T10:30:00Z" and model["updated_at"] > model["created_at"]
