"""Generated examples for a rule's property: Hypothesis, seeded, bounded, every defect reported.

One Hypothesis run stops at its first failing example and shrinks it. To report every distinct
defect, generation runs again after each new one, passing over (counting as fine) examples
that fail with a defect already found, until a run finds nothing new or the rule's deadline
comes. Each defect keeps the smallest example Hypothesis found for it and the requests of that
example; its message and evidence quote the target's first answer, not a replay. The deadline
bounds generation only; shrinking a failure already found finishes.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, Protocol

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings

from conformance.client import Exchange
from conformance.violations import ContractViolation, violation_in

# More defect kinds than any rule can tell apart: a bound, not a target.
MAX_PASSES = 12


class Searcher(Protocol):
    """What a property needs from the rule it runs for (`conformance.context.RuleContext`)."""

    deadline: float
    failing_transcript: list[Exchange]

    def attempt(self, steps: Callable[[], None]) -> None: ...

    def known(self, defect: str) -> bool: ...

    def report(self, violation: ContractViolation, *, counterexample: str, transcript: list[Exchange]) -> bool: ...

    def stop_short(self, why: str) -> None: ...


class BudgetSpent(BaseException):
    """Stops a Hypothesis run at the rule's deadline.

    A `BaseException`, so Hypothesis lets it through instead of treating it as a failure.
    """


def check_property(
    ctx: Searcher, example: Callable[..., None], strategies: dict[str, Any], *, examples: int, run_seed: int
) -> None:
    """Generate examples until no new defect appears; record each defect found in `ctx`."""
    if not strategies:
        return
    for _ in range(MAX_PASSES):
        if not _one_pass(ctx, example, strategies, examples, run_seed):
            return


def _one_pass(
    ctx: Searcher, example: Callable[..., None], strategies: dict[str, Any], examples: int, run_seed: int
) -> bool:
    """One Hypothesis run; True when it found a defect not known before."""
    ran = {"examples": 0, "failed": False}
    # The first violation of each kind, as the target first answered: the shrinking that follows
    # replays examples on a target they already changed (a name taken by then answers 409).
    firsts: dict[str, ContractViolation] = {}

    @functools.wraps(example)
    def one_example(**kwargs: Any) -> None:
        if not ran["failed"] and time.monotonic() > ctx.deadline:
            raise BudgetSpent
        ran["examples"] += 1
        try:
            ctx.attempt(lambda: example(**kwargs))
        except ContractViolation as violation:
            if ctx.known(violation.defect):
                return  # found already, with its own example: look for the others
            if violation.defect not in firsts:
                violation.evidence = violation.evidence or ctx.failing_transcript[-1:]
                firsts[violation.defect] = violation
            ran["failed"] = True
            raise
        except Exception:
            ran["failed"] = True
            raise

    test = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=False,
        report_multiple_bugs=False,
        print_blob=False,
        verbosity=Verbosity.normal,  # quiet would drop the falsifying example from __notes__
        suppress_health_check=list(HealthCheck),
        phases=(Phase.generate, Phase.shrink),
    )(given(**strategies)(one_example))
    test = seed(run_seed)(test)
    try:
        test()
    except BudgetSpent:
        ctx.stop_short(
            f"the time budget (--max-time) ended generation after {ran['examples']} of {examples} examples"
        )
        return False
    except Exception as error:
        violation = violation_in(error)
        if violation is None:
            raise  # the rule could not interpret an answer: the runner reports it
        notes = [note for note in getattr(error, "__notes__", []) if note.strip()]
        return ctx.report(
            firsts.get(violation.defect, violation),  # quoted as first answered
            counterexample="\n".join(notes),  # the smallest example, which the reproduction replays
            transcript=ctx.failing_transcript,
        )
    return False
