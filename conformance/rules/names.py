"""Names (docs/contract.md §6, §7, and the name rules of the contract's description)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from conformance.api import expect_not_found
from conformance.compare import all_fields, changed_fields
from conformance.context import RuleContext
from conformance.registry import rule
from conformance.routes import PATCH_MODEL, POST_MODELS
from conformance.strategies import field_text, name_suffixes
from conformance.violations import (
    ConflictAppliedPartially,
    ConflictIgnored,
    DeletedNameNotFree,
    DuplicateCreateAccepted,
    InvalidNameAccepted,
    NameComparisonNotExact,
    PhantomModelCreated,
    RejectedRequestChangedState,
    RenameNotFollowed,
    SelfRenameRejected,
)


def exact_variants(name: str, prefix: str) -> list[str]:
    """Names that differ from `name` only in case or whitespace: each is a different name."""
    suffix = name[len(prefix):]
    variants = [prefix + suffix.swapcase(), name + " ", prefix + " " + suffix, name.replace(" ", "  ")]
    return [v for v in dict.fromkeys(variants) if v != name]


@rule()
def name_conflicts(ctx: RuleContext) -> None:
    """A rename onto a taken name is 409 and applies nothing; own name is 200; names compare exactly; a rename moves the model; created names are taken, deleted ones free (docs/contract.md §6.5, §7.6, §7.7, §8.2)."""
    ctx.require_recipe()
    api = ctx.api

    def example(taken_suffix: str, summary: str, tags: str) -> None:
        taken = ctx.name("a-" + taken_suffix)
        mover = ctx.name("b-" + taken_suffix)
        api.create_ok(taken)
        api.create_ok(mover)
        api.create(taken).expect(409, DuplicateCreateAccepted, "the name is taken in the tenant")

        before = api.get_ok(mover)
        holder_before = api.get_ok(taken)
        api.patch(mover, {"name": taken, "summary": summary, "tags": tags}).expect(
            409, ConflictIgnored, f"{taken!r} is held by another model"
        )
        after = api.get_ok(mover)
        differences = changed_fields(before, after, all_fields(before, after))
        if differences:
            raise ConflictAppliedPartially(
                "the 409 rename still changed: " + "; ".join(differences),
                operation=PATCH_MODEL, expected="the model unchanged", actual="; ".join(differences)[:300],
            )
        holder_after = api.get_ok(taken)
        differences = changed_fields(holder_before, holder_after, all_fields(holder_before, holder_after))
        if differences:
            raise ConflictAppliedPartially(
                f"the model holding {taken!r} changed: " + "; ".join(differences),
                operation=PATCH_MODEL, expected="the model unchanged", actual="; ".join(differences)[:300],
            )

        api.patch(taken, {"name": taken}).expect(200, SelfRenameRejected, "renaming a model to its own name")

        current = mover
        for variant in exact_variants(taken, ctx.prefix):
            api.patch(current, {"name": variant}).expect(
                200, NameComparisonNotExact, f"{variant!r} differs from the taken {taken!r}"
            )
            moved = api.get(variant)
            if moved.status != 200 or moved.json().get("id") != before["id"]:
                raise RenameNotFollowed(
                    f"after renaming to {variant!r}, GET answered {moved.status}",
                    expected=f"200 with id {before['id']}", actual=str(moved.status), evidence=[moved.exchange],
                )
            expect_not_found(api.get(current), RenameNotFollowed, f"the old name after renaming {current!r} to {variant!r}")
            current = variant

        api.delete(taken).expect(200, why="deleting a model")
        api.create(taken).expect(201, DeletedNameNotFree, "the model holding the name was deleted")

    ctx.for_all(example, taken_suffix=name_suffixes(min_size=1), summary=field_text(), tags=field_text())


def _count(ctx: RuleContext, name: Any) -> int:
    return sum(1 for listed in ctx.api.names() if listed == name)


@rule()
def name_rules(ctx: RuleContext) -> None:
    """Create and rename with "", a name containing "/", "types", "." or ".." is 422 and changes nothing (docs/contract.md §7.8)."""
    ctx.require_recipe()
    invalid = st.one_of(
        st.sampled_from(["", "types", ".", ".."]),
        st.builds(lambda a, b: ctx.name(a) + "/" + b, name_suffixes(), name_suffixes()),
    )

    def example(bad_name: str, rename: bool) -> None:
        if rename:
            model = ctx.api.create_ok(ctx.name("valid"))
            before = ctx.api.get_ok(model["name"])
            ctx.api.patch(model["name"], {"name": bad_name}).expect(
                422, InvalidNameAccepted, f"renaming to {bad_name!r} breaks the name rules"
            )
            after = ctx.api.get_ok(model["name"])
            differences = changed_fields(before, after, all_fields(before, after))
            if differences:
                raise RejectedRequestChangedState(
                    "the rejected rename changed: " + "; ".join(differences),
                    operation=PATCH_MODEL, expected="the model unchanged", actual="; ".join(differences)[:300],
                )
            return
        count = _count(ctx, bad_name)
        ctx.api.create(bad_name).expect(422, InvalidNameAccepted, f"{bad_name!r} breaks the name rules")
        if _count(ctx, bad_name) != count:
            raise PhantomModelCreated(
                f"the rejected create left a model named {bad_name!r} in the list",
                operation=POST_MODELS, expected="no model created", actual=f"{bad_name!r} listed",
            )

    plain = ["", "types", ".", "..", ctx.name("a") + "/b"]
    ctx.for_all(
        example,
        explicit=[{"bad_name": name, "rename": rename} for rename in (False, True) for name in plain],
        bad_name=invalid,
        rename=st.booleans(),
    )
