"""Timestamps (docs/contract.md §5, §7): RFC 3339 with an offset; updated_at moves on every
successful PATCH and only then; created_at never moves and never follows updated_at."""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone
from typing import Any

from hypothesis import strategies as st

from conformance.context import RuleContext
from conformance.registry import rule
from conformance.routes import PATCH_MODEL
from conformance.strategies import field_text
from conformance.violations import (
    CreatedAtMoved,
    TimestampWithoutOffset,
    UpdatedAtBeforeCreatedAt,
    UpdatedAtMoved,
    UpdatedAtNotAdvanced,
)

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
# Longer than the coarsest clock a deployment may reasonably keep (whole seconds).
CLOCK_TICK = 1.05


def instant(ctx: RuleContext, value: Any, where: str) -> datetime:
    """Parse a timestamp. One without an offset is reported (`TimestampWithoutOffset`) and read
    as UTC, so the rule still checks how it moves: a second defect is not hidden by the first."""
    if isinstance(value, str) and RFC3339.match(value):
        return datetime.fromisoformat(value.replace("z", "Z"))
    problem = TimestampWithoutOffset(
        f"{where} is {value!r}, not an RFC 3339 date-time with an offset",
        expected="an RFC 3339 date-time with an offset", actual=repr(value)[:120],
    )
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise problem  # nothing to compare with
    ctx.report(problem)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def _stamps(ctx: RuleContext, model: dict[str, Any], where: str) -> tuple[datetime, datetime]:
    created = instant(ctx, model.get("created_at"), f"created_at in {where}")
    updated = instant(ctx, model.get("updated_at"), f"updated_at in {where}")
    if updated < created:
        raise UpdatedAtBeforeCreatedAt(
            f"{where}: updated_at {updated} is before created_at {created}",
            expected="created_at <= updated_at", actual=f"created_at {created}, updated_at {updated}",
        )
    return created, updated


@rule()
def timestamps(ctx: RuleContext) -> None:
    """updated_at advances on every successful PATCH and stays on a rejected one; created_at never moves; RFC 3339 with offset (docs/contract.md §5.3, §7.5)."""
    ctx.require_recipe()

    def clock_steps() -> None:
        model = ctx.api.create_ok(ctx.name("clock"))
        created, updated = _stamps(ctx, model, "the create response")
        for label, summary in (("a PATCH changing summary", "ck changed"), ("a PATCH changing nothing", "ck changed")):
            time.sleep(CLOCK_TICK)
            answered = ctx.api.patch(model["name"], {"summary": summary}).expect(200, why=label)
            now_created, now_updated = _stamps(ctx, answered, f"the response to {label}")
            if now_created != created:
                raise CreatedAtMoved(
                    f"{label} moved created_at from {created} to {now_created}",
                    operation=PATCH_MODEL, expected=str(created), actual=str(now_created),
                )
            if not now_updated > updated:
                raise UpdatedAtNotAdvanced(
                    f"{label}, {CLOCK_TICK}s after the previous write, left updated_at at {now_updated} "
                    f"(was {updated})",
                    operation=PATCH_MODEL, expected=f"later than {updated}", actual=str(now_updated),
                )
            updated = now_updated

    ctx.scenario(clock_steps)

    steps = st.lists(
        st.one_of(
            st.builds(lambda text: ("accepted", {"summary": text}), field_text()),
            st.builds(lambda text: ("accepted", {"tags": text}), field_text()),
            st.just(("rejected", {})),
            st.just(("rejected", {"summary": None, "tags": None})),
            st.just(("rejected", {"summary": 5})),  # rejections every rule agrees on: wrong types
            st.just(("rejected", {"tags": ["ck"]})),
        ),
        min_size=1,
        max_size=6,
    )

    def example(sequence: list[tuple[str, dict[str, Any]]]) -> None:
        model = ctx.api.create_ok(ctx.name("seq"))
        created, updated = _stamps(ctx, model, "the create response")
        for outcome, body in sequence:
            reply = ctx.api.patch(model["name"], body)
            stored = ctx.api.get_ok(model["name"])
            now_created, now_updated = _stamps(ctx, stored, f"the GET after PATCH {body!r:.80}")
            if now_created != created:
                raise CreatedAtMoved(
                    f"PATCH {body!r:.80} moved created_at from {created} to {now_created}",
                    operation=PATCH_MODEL, expected=str(created), actual=str(now_created),
                )
            if outcome == "accepted":
                reply.expect(200, why="a valid PATCH")
                _stamps(ctx, reply.json(), f"the response to PATCH {body!r:.80}")
                if now_updated < updated:
                    raise UpdatedAtNotAdvanced(
                        f"PATCH {body!r:.80} moved updated_at back from {updated} to {now_updated}",
                        operation=PATCH_MODEL, expected=f"not before {updated}", actual=str(now_updated),
                    )
            else:
                reply.expect(422, why="a PATCH the contract rejects")
                if now_updated != updated:
                    raise UpdatedAtMoved(
                        f"the rejected PATCH {body!r:.80} moved updated_at from {updated} to {now_updated}",
                        operation=PATCH_MODEL, expected=str(updated), actual=str(now_updated),
                    )
            updated = now_updated

    ctx.for_all(example, sequence=steps)
