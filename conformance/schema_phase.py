"""The Schemathesis phase: every built-in check, positive and negative data, and the stateful
phase through the contract's links, run in-process against the target.

Generated requests are kept inside the run: just before each call a hook pins the tenant header
to the run's tenant, puts every valid model name in a body under the run's prefix, and puts
every model name in a path under it too, so a generated request can only ever reach models this
run created. Positive create bodies get the learned dtype and configuration so that creates
succeed and the stateful phase has something to follow. Creates and renames Schemathesis makes
are reported to the tracker.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema
from schemathesis.generation import GenerationMode
from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER

from conformance import interrupts
from conformance.client import TENANT_HEADER, Exchange, Limits
from conformance.effects import effects_of, parsed
from conformance.field_bounds import without_max_lengths
from conformance.model_types import ModelRecipe
from conformance.routes import MODEL, MODEL_HEALTH, TYPE_ACTION
from conformance.schema_requests import BoundedCalls, exchange_of
from conformance.tracker import Tracker, addressable
from conformance.violations import ContractViolation

# Seconds past the phase's deadline at which it is stopped whatever it waits for: every call the
# kit bounds has ended by then; what has not is a request of Schemathesis' own (its probes of
# the base URL, re-sent checks), which only a per-read timeout covers.
HARD_STOP_GRACE = 5.0
# Statuses the contract documents as answers to well-shaped requests (unknown dtype, tenant or
# model, taken name, configuration off its type's schema).
ACCEPTED_FOR_VALID_DATA = ["2xx", "400", "401", "403", "404", "409", "422"]


@dataclass
class SchemaRun:
    """What one Schemathesis run found and how much of the contract it exercised."""

    failures: list[SchemaFailure]
    errors: list[str]
    cases: int = 0
    links_followed: set[str] = field(default_factory=set)
    links_total: int = 0
    cut_short: bool = False  # stopped at its deadline, not at the end of its phases
    held: bool = False  # a request no bound reaches (Schemathesis' own probes) outlived the deadline
    unanswered: list[ContractViolation] = field(default_factory=list)  # calls a bound ended (no answer, too large)

    def summary(self) -> str:
        followed = "; ".join(sorted(self.links_followed))
        return (f"Schemathesis: {self.cases} cases; stateful phase followed "
                f"{len(self.links_followed)} of {self.links_total} links ({followed})")


@dataclass(frozen=True)
class SchemaFailure:
    """One distinct problem Schemathesis found, the call that showed it, and the curl it gives
    to reproduce it."""

    operation: str
    title: str
    message: str
    curl: str
    evidence: tuple[Exchange, ...] = ()


def is_valid_name(value: Any) -> bool:
    """The contract's name rules (docs/contract.md §7.8): a name a URL can address, and not ``types``."""
    return isinstance(value, str) and addressable(value) and value != "types"


# Headers a generated call may not carry: the run's own tenant header, set below, and the
# message framing, which an HTTP server answers before any API code sees the request (a
# generated `Transfer-Encoding: #^e0}` got uvicorn's 400, which no contract documents).
# Hypothesis draws such names from the string constants of the code it runs beside.
REPLACED_HEADERS = frozenset({TENANT_HEADER.lower(), "content-length", "transfer-encoding", "host", "connection",
                              "keep-alive", "te", "trailer", "upgrade", "expect", "proxy-connection"})


class RunScope:
    """The before-call / after-call hooks that keep generated traffic inside the run."""

    def __init__(self, prefix: str, tenant: str | None, tracker: Tracker, recipe: ModelRecipe | None) -> None:
        self.prefix = prefix
        self.tenant = tenant
        self.tracker = tracker
        self.recipe = recipe
        self._creates = itertools.count()

    def own(self, name: str) -> str:
        return name if name.startswith(self.prefix) else self.prefix + "st-" + name

    def fresh(self, name: str) -> str:
        """A name no earlier write used: generated names repeat (measured: a third of the
        stateful phase's creates and most of its renames were 409)."""
        return f"{self.prefix}st{next(self._creates)}-{name}"

    def before_call(self, context: Any, case: Any, kwargs: Any) -> None:
        headers = case.headers if case.headers is not None else {}
        for key in [key for key in headers if key.lower() in REPLACED_HEADERS]:
            del headers[key]
        if self.tenant is not None:
            headers[TENANT_HEADER] = self.tenant
        if "name" in (case.path_parameters or {}) and case.operation.path in (MODEL, MODEL_HEALTH):
            value = case.path_parameters["name"]
            case.path_parameters["name"] = self.own(value if isinstance(value, str) else str(value))
        if "action_name" in (case.path_parameters or {}) and case.operation.path == TYPE_ACTION:
            # an action under the run's prefix exists nowhere: no generated call reaches a provider
            value = case.path_parameters["action_name"]
            case.path_parameters["action_name"] = self.own(value if isinstance(value, str) else str(value))
        body = case.body
        if case.operation.path in ("/models/", "/models/{name}") and isinstance(body, dict):
            positive = case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE
            if is_valid_name(body.get("name")):
                # conflicts are the name_conflicts rule's job; here a chain needs its write to succeed
                body["name"] = self.fresh(body["name"]) if positive else self.own(body["name"])
            if case.method.upper() == "POST" and positive and self.recipe is not None:
                body["dtype"] = self.recipe.dtype
                body["configuration"] = dict(self.recipe.configuration)

    def after_call(self, context: Any, case: Any, response: Any) -> None:
        path_name = (case.path_parameters or {}).get("name")
        effects = effects_of(case.method, case.operation.path, response.status_code,
                             path_name if isinstance(path_name, str) else None, case.body, parsed(response.content))
        self.tracker.apply(self.tenant, effects)


def build_config(
    *, base_url: str, token: str, seed: int, max_examples: int, timeout: float, read_only: bool
) -> SchemathesisConfig:
    # Link inference is off: it adds links between the model-type routes, which then crowd out
    # POST /models/ as the stateful phase's starting point (the tenant header reads as a
    # reference to a resource nothing produces), so the contract's own links were never followed.
    phases: dict[str, Any] = {"stateful": {"inference": {"algorithms": []}}}
    if read_only:
        # The coverage phase probes each path with methods the contract does not list (TRACE,
        # OPTIONS, ...): a read-only run sends none of them. Every link starts at a write, so
        # there is no stateful phase either.
        phases["coverage"] = {"unexpected-methods": []}
        phases["stateful"] = {"enabled": False}
    return SchemathesisConfig.from_dict(
        {
            "seed": seed,
            "base-url": base_url,
            # Through the contract's security scheme, so auth checks can take it away.
            "auth": {"openapi": {"bearerAuth": {"bearer": token}}},
            "request-timeout": timeout,
            "workers": 1,
            "generation": {"mode": "all", "max-examples": max_examples, "database": "none"},
            # The kit masks the token itself; the configurations it sends hold only fake secrets.
            "output": {"sanitization": {"enabled": False}},
            "phases": phases,
            "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED_FOR_VALID_DATA}},
        }
    )


def run_schemathesis(
    *,
    document: dict[str, Any],
    config: SchemathesisConfig,
    scope: RunScope,
    limits: Limits,
    token: str,
    max_time: float,
    read_only: bool,
) -> SchemaRun:
    """Run all phases within `max_time`, each call within `limits`; return distinct failures,
    calls a bound ended, engine errors and coverage."""
    schema = schemathesis.openapi.from_dict(without_max_lengths(document), config=config)
    if read_only:
        schema = schema.include(method="GET")

    # Hooks must be plain functions (Schemathesis sets attributes on them), not bound methods.
    def after_call(context: Any, case: Any, response: Any) -> None:
        scope.after_call(context, case, response)

    deadline = time.monotonic() + max_time
    bounds = BoundedCalls(limits, token, deadline)

    def before_call(context: Any, case: Any, kwargs: Any) -> None:
        scope.before_call(context, case, kwargs)
        bounds.before_call(case, kwargs)

    schema.hook(after_call)
    hook = GLOBAL_HOOK_DISPATCHER.register_hook_with_name(before_call, "before_call")
    failures: dict[tuple[str, str], SchemaFailure] = {}
    run = SchemaRun(failures=[], errors=[])
    with bounds.on_every_request():
        stream = from_schema(schema).execute()
        try:
            with interrupts.hard_stop_at(deadline + HARD_STOP_GRACE) as fired:
                _consume(stream, run, failures, bounds, token, deadline)
        except interrupts.HardStop:
            stream.stop()
        except BaseException:
            stream.stop()
            raise
        finally:
            GLOBAL_HOOK_DISPATCHER.unregister(hook)
    run.failures = list(failures.values())
    run.unanswered = bounds.violations
    run.held = bool(fired)
    run.cut_short = run.cut_short or bounds.budget_ended or run.held
    return run


def _consume(stream: Any, run: SchemaRun, failures: dict[tuple[str, str], SchemaFailure],
             bounds: BoundedCalls, token: str, deadline: float) -> None:
    """Read the engine's events until it finishes, stopping it at the phase's deadline."""
    for event in stream:
        if interrupts.requested():
            stream.finish()  # lets the request in flight complete before cleanup
            raise KeyboardInterrupt("stop requested")
        if time.monotonic() > deadline and not run.cut_short:
            run.cut_short = True
            stream.stop()
        if isinstance(event, events.ScenarioFinished):
            for failure in _failures(event, token):
                failures.setdefault((failure.operation, failure.title), failure)
            _count(run, event)
        elif isinstance(event, events.PhaseStarted) and isinstance(event.payload, events.StatefulPhasePayload):
            run.links_total = max(run.links_total, event.payload.transitions_total)
        elif isinstance(event, events.NonFatalError) and not bounds.took(event.value):
            run.errors.append(f"{event.label}: {event.info.title}: {event.info.message}"[:500])
        elif isinstance(event, events.FatalError) and not bounds.took(event.exception):
            run.errors.append(f"Schemathesis stopped: {event.exception!r}"[:500])
        elif isinstance(event, events.EngineFinished):
            break


def _count(run: SchemaRun, event: events.ScenarioFinished) -> None:
    cases = event.recorder.cases.values()
    run.cases += len(event.recorder.cases)
    run.links_followed.update(
        case.transition.id for case in cases if case.transition is not None and case.is_transition_applied
    )


def _failures(event: events.ScenarioFinished, token: str) -> Iterator[SchemaFailure]:
    for case_id, checks in event.recorder.checks.items():
        node = event.recorder.cases.get(case_id)
        interaction = event.recorder.interactions.get(case_id)
        evidence = () if node is None or interaction is None else (
            exchange_of(node.value.operation.path, interaction.request, token, interaction.response),)
        for check in checks:
            info = check.failure_info
            if info is None:
                continue
            # labelled with the method actually sent: the coverage phase sends OPTIONS, TRACE...
            # to a path whose documented operation is a GET
            sent = f"{node.value.method.upper()} {node.value.operation.path}" if node is not None else ""
            yield SchemaFailure(
                operation=sent or info.failure.operation or event.recorder.label,
                title=info.failure.title,
                message=info.failure.message,
                curl=_mask_token(info.code_sample),
                evidence=evidence,
            )


def _mask_token(curl: str) -> str:
    """Schemathesis prints the Authorization header; the kit's reproductions read $TOKEN instead."""
    return re.sub(r"'?Authorization: [^'\n]*'?", '"Authorization: Bearer $TOKEN"', curl)
