"""PATCH semantics (docs/contract.md §7): partial update, null means unchanged, immutability."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from conformance.compare import all_fields, changed_fields
from conformance.context import RuleContext
from conformance.field_bounds import fields
from conformance.field_bounds import immutable_fields as immutable_fields_of
from conformance.registry import rule
from conformance.routes import PATCH_MODEL
from conformance.strategies import (
    drop_absent,
    field_text,
    field_value,
    immutable_examples,
    immutable_members,
    tri_state,
    unknown_members,
)
from conformance.violations import (
    EmptyUpdateAccepted,
    ImmutableFieldChanged,
    NullTreatedAsValue,
    PatchResponseDiffersFromGet,
    RejectedRequestChangedState,
    SentFieldNotApplied,
    UnexpectedStatus,
    UnsentFieldChanged,
)


def _fresh_model(ctx: RuleContext, summary: str = "ck summary", tags: str = "ck,tags") -> dict[str, Any]:
    ctx.require_recipe()
    return ctx.api.create_ok(ctx.name("orig"), summary=summary, tags=tags)


def _with_names(ctx: RuleContext, body: dict[str, Any]) -> dict[str, Any]:
    """Turn a generated name suffix into a full name under the run's prefix."""
    if isinstance(body.get("name"), str):
        return {**body, "name": ctx.name("new-" + body["name"])}
    return body


def _apply(ctx: RuleContext, model: dict[str, Any], body: dict[str, Any]) -> tuple[dict, dict, dict]:
    """GET before, PATCH (expected 200), GET after under the resulting name."""
    name = model["name"]
    before = ctx.api.get_ok(name)
    answered = ctx.api.patch(name, body).expect(200, why="a PATCH with an updatable string field")
    current = body["name"] if isinstance(body.get("name"), str) else name
    after = ctx.api.get_ok(current)
    return before, answered, after


def _check_answer_equals_get(answered: dict[str, Any], after: dict[str, Any]) -> None:
    differences = changed_fields(after, answered, all_fields(after, answered))
    if differences:
        raise PatchResponseDiffersFromGet(
            "the PATCH response differs from the following GET (GET -> PATCH response): " + "; ".join(differences),
            operation=PATCH_MODEL, expected="the PATCH response equals the following GET",
            actual="; ".join(differences)[:300],
        )


def _check_rejected_changed_nothing(ctx: RuleContext, before: dict[str, Any], why: str) -> None:
    after = ctx.api.get_ok(before["name"])
    differences = changed_fields(before, after, all_fields(before, after))
    if differences:
        raise RejectedRequestChangedState(
            f"{why} was rejected but changed the model: " + "; ".join(differences),
            operation=PATCH_MODEL, expected="the model unchanged", actual="; ".join(differences)[:300],
        )


@rule()
def partial_update(ctx: RuleContext) -> None:
    """Exactly the fields sent change, the rest keep their exact value, and the PATCH answer equals the next GET (docs/contract.md §7.3, §7.9)."""
    updatable = fields(ctx.contract.document, "ModelUpdate")
    sent_fields = st.fixed_dictionaries({}, optional={field: field_value(field) for field in updatable}).filter(bool)

    def example(initial_summary: str, initial_tags: str, body: dict[str, Any]) -> None:
        model = _fresh_model(ctx, initial_summary, initial_tags)
        body = _with_names(ctx, body)
        before, answered, after = _apply(ctx, model, body)
        for field, value in body.items():
            if after.get(field) != value or answered.get(field) != value:
                raise SentFieldNotApplied(
                    f"{field} was sent as {value!r:.120}; the PATCH response holds "
                    f"{answered.get(field)!r:.120} and the GET after holds {after.get(field)!r:.120}",
                    operation=PATCH_MODEL, expected=f"{field} {value!r:.120}",
                    actual=f"{field} {after.get(field)!r:.120} (GET), {answered.get(field)!r:.120} (PATCH response)",
                )
        unsent = [f for f in all_fields(before) if f not in body and f != "updated_at"]
        differences = changed_fields(before, after, unsent)
        if differences:
            raise UnsentFieldChanged(
                "fields the PATCH did not send changed: " + "; ".join(differences),
                operation=PATCH_MODEL, expected="fields not sent keep their value", actual="; ".join(differences)[:300],
            )
        _check_answer_equals_get(answered, after)

    ctx.for_all(
        example,
        explicit=[
            {"initial_summary": "ck summary", "initial_tags": "ck,tags", "body": {field: value}}
            for field, value in (("summary", "ck changed"), ("tags", "ck,changed"), ("name", "renamed"))
        ],
        initial_summary=field_text(),
        initial_tags=field_text(),
        body=sent_fields,
    )


@rule()
def null_means_unchanged(ctx: RuleContext) -> None:
    """A null or absent field is left unchanged; a body without an updatable string is 422 and changes nothing (docs/contract.md §7.1, §7.2)."""
    updatable = fields(ctx.contract.document, "ModelUpdate")
    bodies = st.fixed_dictionaries({field: tri_state(field_value(field)) for field in updatable}).map(drop_absent)
    extras = st.one_of(st.just({}), unknown_members(), immutable_members({"ck": "x"}))

    def example(body: dict[str, Any], extra: dict[str, Any]) -> None:
        model = _fresh_model(ctx)
        body = {**extra, **_with_names(ctx, body)}
        strings = [f for f in updatable if isinstance(body.get(f), str)]
        if not strings:
            before = ctx.api.get_ok(model["name"])
            ctx.api.patch(model["name"], body).expect(
                422, EmptyUpdateAccepted, "no updatable field is a string"
            )
            _check_rejected_changed_nothing(ctx, before, f"PATCH {body!r:.120}")
            return
        before, answered, after = _apply(ctx, model, body)
        left_alone = [f for f in updatable if not isinstance(body.get(f), str)]
        for snapshot, label in ((after, "the GET after"), (answered, "the PATCH response")):
            differences = changed_fields(before, snapshot, left_alone)
            if differences:
                raise NullTreatedAsValue(
                    f"null or absent fields changed in {label}: " + "; ".join(differences),
                    operation=PATCH_MODEL, expected="null or absent fields unchanged",
                    actual="; ".join(differences)[:300],
                )

    ctx.for_all(
        example,
        explicit=[
            {"body": {"summary": None, "tags": "ck,changed"}, "extra": {}},
            {"body": {"summary": "ck changed", "tags": None}, "extra": {}},
            {"body": {"summary": None, "tags": None, "name": None}, "extra": {}},
            {"body": {}, "extra": {}},
        ],
        body=bodies,
        extra=extras,
    )

    def without_body() -> None:
        model = _fresh_model(ctx)
        before = ctx.api.get_ok(model["name"])
        ctx.api.patch(model["name"], raw=b"").expect(422, EmptyUpdateAccepted, "a PATCH without a body")
        _check_rejected_changed_nothing(ctx, before, "a PATCH without a body")

    ctx.scenario(without_body)


@rule()
def immutable_fields(ctx: RuleContext) -> None:
    """id, dtype, configuration, created_at and connected_endpoints never change through PATCH, whatever the body carries (docs/contract.md §7.4)."""
    fixed = immutable_fields_of(ctx.contract.document)
    # the updatable fields but the name: a rename is not what this rule is about
    updates = st.fixed_dictionaries(
        {}, optional={field: field_text() for field in fields(ctx.contract.document, "ModelUpdate") if field != "name"}
    )

    def example(update: dict[str, Any], immutable: dict[str, Any]) -> None:
        model = _fresh_model(ctx)
        name = model["name"]
        before = ctx.api.get_ok(name)
        body = {**immutable, **update}
        reply = ctx.api.patch(name, body)
        expected = 200 if update else 422
        if reply.status != expected:
            raise UnexpectedStatus(
                f"PATCH {body!r:.200} answered {reply.status}, the contract fixes {expected}",
                expected=str(expected), actual=str(reply.status), evidence=[reply.exchange],
            )
        after = ctx.api.get_ok(name)
        stored = changed_fields(before, after, fixed)
        if stored:
            raise ImmutableFieldChanged(
                "the stored model changed: " + "; ".join(stored),
                operation=PATCH_MODEL, expected="immutable fields unchanged", actual="; ".join(stored)[:300],
            )
        if expected == 200:
            answered = reply.json()
            shown = changed_fields(before, answered, [f for f in fixed if f in answered])
            if shown:
                raise ImmutableFieldChanged(
                    "the PATCH response shows changes: " + "; ".join(shown),
                    expected="immutable fields unchanged", actual="; ".join(shown)[:300], evidence=[reply.exchange],
                )

    immutable = immutable_members(ctx.require_recipe().configuration)
    ctx.for_all(
        example,
        explicit=[
            {"update": {"summary": "ck changed"}, "immutable": {field: value}}
            for field, value in immutable_examples(ctx.require_recipe().configuration).items()
        ],
        update=updates,
        immutable=immutable,
    )

