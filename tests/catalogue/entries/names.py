"""Entries breaking the rules of names: name_conflicts, name_rules."""

from __future__ import annotations

from functools import partial

from tests.catalogue import services as s
from tests.catalogue import wrappers as w
from tests.catalogue.base import entry
from tests.catalogue.probing import body, create, fresh, get
from tests.kit import RULE_NAMES

# name_conflicts --------------------------------------------------------------------------------


@entry("name_conflicts", defects=("ConflictIgnored",), services=(s.RenameOverwritesTakenName,))
def rename_ignores_conflicts(http):
    """A rename onto a name another model holds answers 200 and replaces that model (name_conflicts)."""
    first, second = create(http), create(http)
    return http.patch(f"/models/{first['name']}", json={"name": second["name"]}).status_code != 409


@entry("name_conflicts", defects=("ConflictAppliedPartially",), may=("null_means_unchanged",),
       services=(s.ConflictAppliesRestFirst,))
def conflict_applies_half_the_request(http):
    """A rename onto a taken name applies summary and tags, then answers 409 (name_conflicts)."""
    first, second = create(http, summary="before"), create(http)
    answer = http.patch(f"/models/{first['name']}", json={"name": second["name"], "summary": "after"})
    return answer.status_code == 409 and get(http, first["name"]).json()["summary"] == "after"


@entry("name_conflicts", defects=("NameComparisonNotExact",), services=(s.CaseInsensitiveNames,))
def conflict_check_ignores_case(http):
    """Names differing only in case or surrounding whitespace conflict on create and rename (name_conflicts)."""
    name = fresh("Case")
    create(http, name)
    return http.post("/models/", json=body(name.lower())).status_code == 409


@entry("name_conflicts", defects=("RenameNotFollowed",), services=(s.OldNameStillAnswers,))
def old_name_still_answers(http):
    """After a rename, GET of the old name still returns the model (name_conflicts)."""
    model = create(http)
    http.patch(f"/models/{model['name']}", json={"name": fresh("renamed")})
    return get(http, model["name"]).status_code == 200


@entry(
    "name_conflicts",
    defects=("DeletedNameNotFree",),
    # the kit may reuse a name after deleting it in any rule, and then that rule sees the defect
    may=tuple(RULE_NAMES),
    services=(s.DeletedNameStaysTaken,),
)
def deleted_name_stays_taken(http):
    """The name of a deleted model cannot be used again: create and rename onto it are 409 (name_conflicts)."""
    model = create(http)
    http.delete(f"/models/{model['name']}")
    return http.post("/models/", json=body(model["name"])).status_code == 409


# name_rules ------------------------------------------------------------------------------------


@entry("name_rules", defects=("InvalidNameAccepted",),
       wrappers=(partial(w.InvalidNamesAccepted, accept=(w.empty_name,)),))
def empty_name_accepted(http):
    """The empty name "" is accepted on create and rename (name_rules)."""
    return http.post("/models/", json=body("")).status_code != 422


@entry("name_rules", defects=("InvalidNameAccepted",),
       wrappers=(partial(w.InvalidNamesAccepted, accept=(w.slash_in_name,)),))
def slash_in_name_accepted(http):
    """Names containing "/" are accepted on create and rename (name_rules)."""
    sent = body(f"{fresh()}/x")
    answer = http.post("/models/", json=sent)
    return answer.status_code != 422 and answer.json().get("name") == sent["name"]
