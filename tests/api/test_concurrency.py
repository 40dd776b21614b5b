"""Concurrent writes through the HTTP API: no duplicate names, no lost updates."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

RENAMERS = 50


def test_simultaneous_renames_to_one_name_let_exactly_one_win(mock_server, client, create_model, unique_name):
    sources = [create_model(unique_name("racer"))["name"] for _ in range(RENAMERS)]
    target = unique_name("winner")
    with httpx.Client(base_url=mock_server.base_url, headers=mock_server.auth, timeout=60,
                      limits=httpx.Limits(max_connections=RENAMERS)) as http:
        with ThreadPoolExecutor(max_workers=RENAMERS) as pool:
            statuses = list(pool.map(lambda name: http.patch(f"/models/{name}", json={"name": target}).status_code, sources))
    assert sorted(statuses) == [200] + [409] * (RENAMERS - 1)
    listed = [model["name"] for model in client.get("/models/").json()]
    assert listed.count(target) == 1
    remaining = [name for name in sources if name in listed]
    assert len(remaining) == RENAMERS - 1


def test_concurrent_patches_of_different_fields_lose_nothing(mock_server, client, create_model, unique_name):
    name = create_model(unique_name("shared"))["name"]
    rounds = 40

    def write(field: str) -> str:
        with httpx.Client(base_url=mock_server.base_url, headers=mock_server.auth, timeout=60) as http:
            for i in range(rounds):
                assert http.patch(f"/models/{name}", json={field: f"{field}-{i}"}).status_code == 200
        return field

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert sorted(pool.map(write, ["summary", "tags"])) == ["summary", "tags"]
    final = client.get(f"/models/{name}").json()
    assert final["summary"] == f"summary-{rounds - 1}"
    assert final["tags"] == f"tags-{rounds - 1}"
