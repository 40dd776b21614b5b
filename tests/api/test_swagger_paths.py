"""Only the Swagger UI's and the spec's paths enter Connexion's Swagger UI router; every other
request goes straight on. Both sides must still answer as before."""

from __future__ import annotations


def test_every_ui_and_spec_path_is_still_served(mock_server):
    with mock_server.client() as http:
        redirect = http.get("/ui", follow_redirects=False)
        assert redirect.status_code == 307 and redirect.headers["location"].endswith("/api/v1/ui/")
        for path in ("/ui/", "/ui/index.html", "/ui/swagger-ui-bundle.js", "/openapi.json", "/openapi.yaml"):
            assert http.get(path).status_code == 200, path


def test_api_paths_beside_the_ui_paths_reach_the_api(client, create_model):
    for name in ("ui", "openapi.json"):
        created = create_model(name)
        assert client.get(f"/models/{name}").json() == created
        assert client.delete(f"/models/{name}").status_code == 200
    assert client.get("/models/types/").status_code == 200
    assert client.get("/uinothing").status_code == 404
