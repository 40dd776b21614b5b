"""Conformance kit: property-tests a Models API deployment against `openapi.yaml`.

Run it as `syft-conformance`, `python -m conformance`, or `pytest conformance`.

Where things live: a rule is a function named after the property it checks, in
`conformance/rules/<area>.py` (`grep -n "def partial_update" conformance/rules`); its failures
are exceptions named after the defect, in `conformance/violations.py`.

Writing a rule::

    from conformance.context import NotRun, RuleContext
    from conformance.registry import rule
    from conformance.violations import SentFieldNotApplied

    @rule()  # writes=False: safe in --read-only; needs_other_tenant=True: needs --other-tenant
    def partial_update(ctx: RuleContext) -> None:
        '''Exactly the fields sent change (docs/contract.md §7).'''   # one line, cites its clause

        def example(summary: str) -> None:
            model = ctx.api.create_ok(ctx.name("orig"))       # names under the run's prefix
            answered = ctx.api.patch(model["name"], {"summary": summary}).expect(200)
            if answered["summary"] != summary:
                raise SentFieldNotApplied(
                    "summary was not applied",                   # the message people read
                    operation="PATCH /models/{name}", expected=repr(summary),
                    actual=repr(answered["summary"]),           # fields tools read
                )

        ctx.for_all(example, explicit=[{"summary": "ck"}], summary=field_text())

The rule hands back what it found through `ctx` only (`ctx.findings`, `ctx.notes`), never
by return value or by module state:

* `ctx.for_all(example, explicit=[...], **strategies)`: every explicit case, then generated
  examples (seeded, bounded by --examples and the rule's share of --max-time, shrunk). A
  violation an example raises is recorded with its smallest example and a curl reproduction,
  and the search goes on for defects of other kinds.
* `ctx.scenario(steps)`: fixed steps; a violation they raise is recorded, the rule goes on.
* `ctx.report(violation)`: record a defect without stopping (e.g. a timestamp without offset,
  while still checking that it advances). One finding per defect kind per rule.
* `ctx.note(text)`: a remark shown next to the rule's result.
* `raise NotRun(why)`: nothing to check on this target or with these options.
* Reading: `ctx.api` (the Models API, tracking what the run creates so it is always deleted),
  `ctx.other_api()`, `ctx.options`, `ctx.contract`, `ctx.recipe` / `ctx.require_recipe()`
  (a dtype and configuration learned from the target), `ctx.prefix`, `ctx.run.exchanges`
  (every answer so far; for after-run checks, `@rule(after_run=True)`).

A `Reply.expect(status, Violation, why)` raises the violation with operation, expected,
actual and evidence filled in. A violation without a clause of its own cites the rule's.
"""
