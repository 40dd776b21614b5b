"""Unknown and deleted models (contract-notes §7, §8)."""

from __future__ import annotations

from typing import Any

from conformance.api import MODEL
from conformance.kit import Kit
from conformance.registry import rule
from conformance.strategies import field_text, name_suffixes
from conformance.violations import DeletedModelStillThere, PhantomModelCreated


@rule(writes=False)
def not_found(kit: Kit) -> None:
    """GET, PATCH or DELETE of an unknown name is 404 and creates nothing (contract-notes §7)."""

    def example(suffix: str, new_suffix: str, summary: str) -> None:
        missing = kit.name("missing-" + suffix)
        kit.api.get(missing).expect(404, why=f"no model is named {missing!r}")
        if kit.options.read_only:
            return
        target = kit.name("target-" + new_suffix)
        kit.api.patch(missing, {"name": target, "summary": summary}).expect(404, why="PATCH of an unknown name")
        kit.api.delete(missing).expect(404, why="DELETE of an unknown name")
        for name in (missing, target):
            found = kit.api.get(name)
            if found.status != 404:
                raise PhantomModelCreated(f"after PATCH/DELETE of an unknown name, GET {name!r} answered {found.status}")

    kit.for_all(example, suffix=name_suffixes(), new_suffix=name_suffixes(), summary=field_text())
    if kit.options.read_only:
        kit.notes.append("read-only: only GET of unknown names was checked")


@rule()
def delete(kit: Kit) -> None:
    """Delete answers 200 {"message": ...}; the model is 404 afterwards and gone from the list (contract-notes §8)."""
    kit.require_recipe()

    def example(suffix: str) -> None:
        name = kit.name(suffix)
        model = kit.api.create_ok(name)
        body: Any = kit.api.delete(name).expect(200, DeletedModelStillThere, "deleting an existing model")
        if not isinstance(body, dict) or not isinstance(body.get("message"), str):
            raise DeletedModelStillThere(f"delete answered {body!r:.200}, not {{\"message\": <string>}}")
        for method, what in (("GET", None), ("PATCH", {"summary": "ck after delete"}), ("DELETE", None)):
            reply = kit.api.send(method, MODEL, name=name, **({"body": what} if what else {}))
            if reply.status != 404:
                raise DeletedModelStillThere(f"after delete, {method} {name!r} answered {reply.status}")
        listed = kit.api.list()
        if any(isinstance(item, dict) and item.get("id") == model["id"] for item in listed):
            raise DeletedModelStillThere(f"the deleted model {name!r} is still listed")

    kit.for_all(example, suffix=name_suffixes())
