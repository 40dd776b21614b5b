"""Crash-class bugs (docs/contract.md §12): what the target accepted must stay readable.

Hostile but valid JSON strings (`conformance.hostile_values`) go into every string field of a
create (name, summary, tags, a configuration value) and of a PATCH (name, summary, tags), one
field at a time. The oracle:

* every answer is 2xx or a 4xx the operation documents, with a JSON body; never a 5xx;
* after an accepted write, GET of the model and the tenant's list both answer 200 and give back
  exactly the value accepted (the JSON value the escapes spell);
* a rejected write changes nothing: no model appears, the patched model is as it was.

A write answered 5xx may still have stored something (the real server stored a configuration
and answered 500), so the name it carried is tracked for the cleanup, and the tenant's list is
read once more: a list that no longer answers is its own defect.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from conformance.client import Exchange, Reply
from conformance.context import NotRun, RuleContext
from conformance.field_bounds import fields, max_lengths
from conformance.hostile_values import TEXTS, Hostile, generated_texts, long_values, raw_json
from conformance.model_types import valid_configuration
from conformance.registry import rule
from conformance.routes import MODEL, MODELS
from conformance.violations import (
    NotJson,
    PhantomModelCreated,
    RejectedRequestChangedState,
    ServerError,
    StoredDataUnreadable,
    StoredValueChanged,
    UndocumentedStatus,
)


def _probed_fields(ctx: RuleContext, schema: str) -> list[str]:
    """The string fields of a request schema, and configuration values; not `dtype`, which must
    name a known type (configuration_validated judges it)."""
    return [field for field in fields(ctx.contract.document, schema) if field != "dtype"]


CONFIG_KEY = "ck_note"


def accepted_value(value: str) -> Any:
    """What a JSON parser makes of the value as sent (two surrogate escapes are one emoji)."""
    return json.loads(raw_json(value))


@dataclass(frozen=True)
class Case:
    operation: str  # "create" or "PATCH"
    field: str
    hostile: Hostile

    def describe(self) -> str:
        return f"{self.operation} with {self.hostile.label} in {self.field}"


class Probe:
    """One case against the target, with the checks of the oracle."""

    def __init__(self, ctx: RuleContext, config_key: str | None) -> None:
        self.ctx = ctx
        self.api = ctx.api
        self.config_key = config_key
        self.numbers = itertools.count()

    def fresh(self) -> str:
        """A name no earlier case used (a target that keeps deleted models must not confuse cases)."""
        return self.ctx.name(f"sdr{next(self.numbers) % 10_000:04d}-")

    def name_with(self, value: str) -> str:
        return self.fresh() + value

    def run(self, case: Case) -> None:
        if case.operation == "create":
            self.create(case)
        else:
            self.patch(case)

    # --- create -------------------------------------------------------------------------------

    def create(self, case: Case) -> None:
        value = case.hostile.value
        name = self.name_with(value) if case.field == "name" else self.fresh()
        fields: dict[str, Any] = {}
        if case.field == "configuration":
            fields["configuration"] = {**self.ctx.require_recipe().configuration, self.config_key: value}
        elif case.field != "name":
            fields[case.field] = value
        body = self.api.create_body(name, **fields)
        reply = self.write("POST", MODELS, None, raw_json(body), case, written=name)
        stored_name = accepted_value(name)
        if reply is None:
            return
        if reply.status != 201:
            self.rejected(reply, case)
            self.absent(stored_name, case, reply.exchange)
            return
        self.round_trip(stored_name, case, reply)

    # --- PATCH --------------------------------------------------------------------------------

    def patch(self, case: Case) -> None:
        original = self.api.create_ok(self.fresh())["name"]
        before = self.api.get_ok(original)
        value = self.name_with(case.hostile.value) if case.field == "name" else case.hostile.value
        reply = self.write("PATCH", MODEL, original, raw_json({case.field: value}), case,
                           written=value if case.field == "name" else None)
        if reply is None:
            return
        if reply.status != 200:
            self.rejected(reply, case)
            after = self.readable(f"a rejected {case.describe()}", lambda: self.api.get(original), reply.exchange)
            if after != before:
                raise RejectedRequestChangedState(
                    f"{case.describe()} was answered {reply.status} but changed the model: "
                    f"{before!r:.300} -> {after!r:.300}", expected="the model unchanged",
                    actual=f"{after!r:.300}", evidence=[reply.exchange],
                )
            return
        current = accepted_value(value) if case.field == "name" else original
        self.round_trip(current, case, reply)

    # --- the oracle ---------------------------------------------------------------------------

    def write(self, method: str, template: str, name: str | None, raw: bytes, case: Case,
              written: str | None) -> Reply | None:
        """Send the write; a 5xx is reported, its name kept for the cleanup, the list re-read."""
        try:
            return self.api.send(method, template, name=name, raw=raw)
        except ServerError as error:
            if written is not None:
                self.api.tracker.created(self.api.tenant, accepted_value(written))
            self.ctx.report(ServerError(
                f"{case.describe()}: {error.message}", expected="2xx or a documented 4xx", actual=error.actual,
                evidence=error.evidence,
            ))
            self.readable(f"a {case.describe()} answered with a server error", self.list_reply, error.evidence[-1])
            return None

    def rejected(self, reply: Reply, case: Case) -> None:
        """A refusal must be a 4xx the operation documents, with a JSON body."""
        operation = self.ctx.contract.operation(reply.exchange.method, reply.exchange.template)
        if str(reply.status) not in operation.statuses or not 400 <= reply.status < 500:
            raise UndocumentedStatus(
                f"{case.describe()} answered {reply.status}, which {operation.method} {operation.path} "
                f"does not document ({', '.join(sorted(operation.statuses))})",
                expected="a documented 4xx", actual=str(reply.status), evidence=[reply.exchange],
            )
        reply.json()  # NotJson if it is not JSON

    def absent(self, name: Any, case: Case, written: Exchange) -> None:
        listed = self.readable(f"a rejected {case.describe()}", self.list_reply, written)
        if any(isinstance(item, dict) and item.get("name") == name for item in listed):
            raise PhantomModelCreated(
                f"{case.describe()} was rejected, yet the list shows a model named {name!r:.200}",
                expected="no model created", actual="listed", evidence=[written],
            )

    def round_trip(self, name: Any, case: Case, reply: Reply) -> None:
        """The value accepted comes back exactly: in the answer, by GET and in the list."""
        expected = accepted_value(case.hostile.value)
        if case.field == "name":
            expected = name
        answered = reply.json()
        shown = {"the write's answer": answered}
        if _addressable_in_url(name):
            shown["GET of the model"] = self.readable(
                f"an accepted {case.describe()}", lambda: self.api.get(name), reply.exchange
            )
        listed = self.readable(f"an accepted {case.describe()}", self.list_reply, reply.exchange)
        shown["the tenant's list"] = next(
            (item for item in listed if isinstance(item, dict) and item.get("name") == name), None
        )
        for where, model in shown.items():
            got = self.field_of(model, case.field)
            if got != expected:
                raise StoredValueChanged(
                    f"{case.describe()} was accepted, but {where} holds {got!r:.200} "
                    f"instead of {expected!r:.200}", expected=f"{expected!r:.200}", actual=f"{got!r:.200}",
                    evidence=[reply.exchange],
                )

    def field_of(self, model: Any, field: str) -> Any:
        if not isinstance(model, dict):
            return "<no such model>"
        if field == "configuration":
            configuration = model.get("configuration")
            return configuration.get(self.config_key) if isinstance(configuration, dict) else configuration
        return model.get(field, "<missing>")

    def list_reply(self) -> Reply:
        return self.api.send("GET", MODELS)

    def readable(self, after: str, send: Callable[[], Reply], written: Exchange) -> Any:
        """The JSON body of a read that must answer 200; unreadable is its own defect, shown
        with the write it followed."""
        try:
            reply = send()
            if reply.status != 200:
                raise StoredDataUnreadable(
                    f"after {after}, {reply.exchange.describe()} answered {reply.exchange.text[:200]!r}",
                    expected="200", actual=str(reply.status), evidence=[written, reply.exchange],
                )
            return reply.json()
        except (ServerError, NotJson) as error:
            raise StoredDataUnreadable(
                f"after {after}: {error.message}", expected="200 with a JSON body", actual=error.actual,
                evidence=[written, *error.evidence],
            ) from None


def _addressable_in_url(name: Any) -> bool:
    """Whether a URL can carry the name: a lone surrogate has no UTF-8 form."""
    try:
        return isinstance(name, str) and bool(name.encode("utf-8"))
    except UnicodeEncodeError:
        return False


def _config_key(ctx: RuleContext) -> str | None:
    """A configuration member the type's schema lets the kit fill with any string."""
    recipe = ctx.require_recipe()
    if valid_configuration({**recipe.configuration, CONFIG_KEY: "x\u0000"}, recipe.config_schema):
        return CONFIG_KEY
    return None


def cases(ctx: RuleContext, config_key: str | None) -> list[Case]:
    """Every hostile value in every string field of create and PATCH, within and past the bounds."""
    prefix_length = len(ctx.name("sdr0000-"))  # as Probe.fresh() makes it
    found = []
    for operation, schema in (("create", "ModelCreate"), ("PATCH", "ModelUpdate")):
        bounds = max_lengths(ctx.contract.document, schema)
        for field in _probed_fields(ctx, schema):
            if field == "configuration" and config_key is None:
                continue
            values = list(TEXTS)
            if field in bounds:
                values += long_values(bounds[field] - (prefix_length if field == "name" else 0))
            found += [Case(operation, field, hostile) for hostile in values]
    return found


@rule()
def stored_data_readable(ctx: RuleContext) -> None:
    """Hostile but valid JSON strings in every string field of create and PATCH: every answer is 2xx or a documented 4xx with a JSON body, an accepted value reads back exactly by GET and in the list, a rejected write changes nothing (docs/contract.md §6.7, §12.3)."""
    config_key = _config_key(ctx)
    if config_key is None:
        ctx.note("the type's config_schema admits no extra member: configuration values were not probed")
    probe = Probe(ctx, config_key)
    explicit = cases(ctx, config_key)
    if not explicit:
        raise NotRun("no string field to probe")

    def example(case: Case) -> None:
        probe.run(case)

    generated = st.builds(
        Case,
        st.sampled_from(["create", "PATCH"]),
        st.sampled_from(_probed_fields(ctx, "ModelUpdate")),
        st.builds(Hostile, st.just("a generated string"), generated_texts().map(lambda text: text.replace("/", ""))),
    )
    ctx.for_all(example, explicit=[{"case": case} for case in explicit], case=generated)

