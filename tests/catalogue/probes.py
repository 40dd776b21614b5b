"""One direct HTTP probe per catalogue entry: does this server show the entry's defect?

A probe returns True when the defect shows. The tests run each probe against its entry (must
be True) and against the unmodified mock (must be False), which proves both that the entry is
really faulty and that the probe tells the two apart. Probes only touch models they create.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx

PROBES: dict[str, Callable[[httpx.Client], bool]] = {}
CONFIG = {"api_key": "sk-probe-0123456789abcdef", "model": "gpt-4"}


def probe(name: str):
    def register(check: Callable[[httpx.Client], bool]):
        PROBES[name] = check
        return check

    return register


def fresh(stem: str = "probe") -> str:
    return f"{stem}-{uuid.uuid4().hex[:8]}"


def create(http: httpx.Client, name: str | None = None, **fields) -> dict:
    body = {"name": name or fresh(), "dtype": "openai", "configuration": dict(CONFIG), **fields}
    response = http.post("/models/", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def get(http: httpx.Client, name: str) -> httpx.Response:
    return http.get(f"/models/{name}")


@probe("patch_clears_unsent_fields")
def _(http):
    model = create(http, summary="keep me", tags="a,b")
    http.patch(f"/models/{model['name']}", json={"summary": "new"})
    return get(http, model["name"]).json()["tags"] != "a,b"


@probe("patch_null_sets_empty")
def _(http):
    model = create(http, summary="keep me", tags="a,b")
    http.patch(f"/models/{model['name']}", json={"summary": None, "tags": "c"})
    return get(http, model["name"]).json()["summary"] != "keep me"


@probe("empty_patch_accepted")
def _(http):
    model = create(http)
    return http.patch(f"/models/{model['name']}", json={"configuration": {"model": "x"}}).status_code != 422


@probe("patch_applies_configuration")
def _(http):
    model = create(http)
    http.patch(f"/models/{model['name']}", json={"summary": "s", "configuration": {"model": "changed"}})
    return get(http, model["name"]).json()["configuration"] != model["configuration"]


@probe("patch_applies_dtype")
def _(http):
    model = create(http)
    http.patch(f"/models/{model['name']}", json={"summary": "s", "dtype": "ollama"})
    return get(http, model["name"]).json()["dtype"] != "openai"


@probe("patch_regenerates_id")
def _(http):
    model = create(http)
    return http.patch(f"/models/{model['name']}", json={"summary": "s"}).json()["id"] != model["id"]


@probe("updated_at_never_moves")
def _(http):
    model = create(http)
    return http.patch(f"/models/{model['name']}", json={"summary": "s"}).json()["updated_at"] == model["updated_at"]


@probe("created_at_reset_on_patch")
def _(http):
    model = create(http)
    return http.patch(f"/models/{model['name']}", json={"summary": "s"}).json()["created_at"] != model["created_at"]


def _has_offset(stamp: str) -> bool:
    return stamp.endswith(("Z", "z")) or stamp[-6] in "+-"


@probe("timestamps_without_offset")
def _(http):
    model = create(http)
    return not (_has_offset(model["created_at"]) and _has_offset(model["updated_at"]))


@probe("rename_ignores_conflicts")
def _(http):
    first, second = create(http), create(http)
    return http.patch(f"/models/{first['name']}", json={"name": second["name"]}).status_code != 409


@probe("conflict_applies_half_the_request")
def _(http):
    first, second = create(http, summary="before"), create(http)
    answer = http.patch(f"/models/{first['name']}", json={"name": second["name"], "summary": "after"})
    return answer.status_code == 409 and get(http, first["name"]).json()["summary"] == "after"


@probe("conflict_check_ignores_case")
def _(http):
    name = fresh("Case")
    create(http, name)
    return http.post("/models/", json={"name": name.lower(), "dtype": "openai", "configuration": CONFIG}).status_code == 409


@probe("old_name_still_answers")
def _(http):
    model = create(http)
    http.patch(f"/models/{model['name']}", json={"name": fresh("renamed")})
    return get(http, model["name"]).status_code == 200


@probe("deleted_name_stays_taken")
def _(http):
    model = create(http)
    http.delete(f"/models/{model['name']}")
    body = {"name": model["name"], "dtype": "openai", "configuration": CONFIG}
    return http.post("/models/", json=body).status_code == 409


@probe("empty_name_accepted")
def _(http):
    return http.post("/models/", json={"name": "", "dtype": "openai", "configuration": CONFIG}).status_code != 422


@probe("slash_in_name_accepted")
def _(http):
    body = {"name": f"{fresh()}/x", "dtype": "openai", "configuration": CONFIG}
    answer = http.post("/models/", json=body)
    return answer.status_code != 422 and answer.json().get("name") == body["name"]


@probe("configuration_not_validated")
def _(http):
    body = {"name": fresh(), "dtype": "openai", "configuration": {"model": 42}}
    return http.post("/models/", json=body).status_code != 422


@probe("patch_unknown_creates")
def _(http):
    name = fresh("ghost")
    http.patch(f"/models/{name}", json={"summary": "s"})
    return get(http, name).status_code != 404


@probe("delete_unknown_succeeds")
def _(http):
    return http.delete(f"/models/{fresh('ghost')}").status_code != 404


@probe("writes_ignore_tenant")
def _(http):
    model = create(http)
    http.patch(f"/models/{model['name']}", json={"summary": "from acme"}, headers={"X-Tenant-Name": "acme"})
    return get(http, model["name"]).json()["summary"] == "from acme"


@probe("conflicts_across_tenants")
def _(http):
    model = create(http)
    body = {"name": model["name"], "dtype": "openai", "configuration": CONFIG}
    return http.post("/models/", json=body, headers={"X-Tenant-Name": "acme"}).status_code == 409


@probe("auth_ignored_on_delete")
def _(http):
    model = create(http)
    answer = http.delete(f"/models/{model['name']}", headers={"Authorization": "Bearer wrong"})
    return answer.status_code != 401 and get(http, model["name"]).status_code == 404


@probe("any_bearer_key_on_patch")
def _(http):
    model = create(http)
    answer = http.patch(f"/models/{model['name']}", json={"summary": "s"}, headers={"Authorization": "Bearer wrong"})
    return answer.status_code != 401


@probe("api_key_in_full")
def _(http):
    return create(http)["configuration"].get("api_key") == CONFIG["api_key"]


@probe("list_keeps_deleted")
def _(http):
    model = create(http)
    http.delete(f"/models/{model['name']}")
    return model["name"] in [item["name"] for item in http.get("/models/").json()]


@probe("get_serves_deleted")
def _(http):
    model = create(http)
    http.delete(f"/models/{model['name']}")
    return get(http, model["name"]).status_code == 200


@probe("delete_answers_empty_object")
def _(http):
    model = create(http)
    return http.delete(f"/models/{model['name']}").json() == {}


@probe("missing_model_is_409")
def _(http):
    return get(http, fresh("ghost")).status_code == 409


@probe("patch_response_without_endpoints")
def _(http):
    model = create(http)
    return "connected_endpoints" not in http.patch(f"/models/{model['name']}", json={"summary": "s"}).json()


@probe("not_found_without_detail")
def _(http):
    return "detail" not in get(http, fresh("ghost")).json()


@probe("non_object_body_crashes")
def _(http):
    return http.post("/models/", json=[1, 2]).status_code == 500


@probe("real_server_today")
def _(http):
    model = create(http)
    patched = http.patch(f"/models/{model['name']}", json={"summary": "s"}).json()
    empty = http.post("/models/", json={"name": "", "dtype": "openai", "configuration": {"model": 42}})
    return (
        "connected_endpoints" not in patched
        and not _has_offset(patched["updated_at"])
        and "api_key" not in model["configuration"]
        and empty.status_code == 201
    )


@probe("real_server_with_patch_regressions")
def _(http):
    model = create(http, tags="a,b")
    patched = http.patch(f"/models/{model['name']}", json={"tags": "c"}).json()
    return PROBES["real_server_today"](http) and patched["tags"] == "a,b" and patched["updated_at"] == model["updated_at"]
