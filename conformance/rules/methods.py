"""Methods a path does not define (docs/contract.md §1): 405 with an `Allow` header that lists
exactly the methods the contract defines on that path (HEAD and OPTIONS may be added)."""

from __future__ import annotations

import re

from conformance.context import RuleContext
from conformance.registry import rule
from conformance.violations import AllowHeaderWrong, UnexpectedStatus

PROBED = ("PUT", "POST", "DELETE", "PATCH")  # the first a path lacks is sent
IMPLIED = {"HEAD", "OPTIONS"}


def _filled(ctx: RuleContext, path: str) -> str | None:
    if "{name}" not in path:
        return None
    if path.startswith("/models/types/"):
        return ctx.recipe.dtype if ctx.recipe else "openai"
    return ctx.name("missing")


@rule()
def method_not_allowed(ctx: RuleContext) -> None:
    """A method a path does not define is 405 with an Allow header listing exactly the path's methods (docs/contract.md §1.4)."""
    defined: dict[str, set[str]] = {}
    for operation in ctx.contract.operations:
        defined.setdefault(operation.path, set()).add(operation.method)

    def probe(path: str, methods: set[str]) -> None:
        method = next(method for method in PROBED if method not in methods)
        reply = ctx.api.client.request(method, path, name=_filled(ctx, path))
        if reply.status != 405:
            raise UnexpectedStatus(
                f"{method} {path}, a method the path does not define, answered {reply.status}, not 405",
                expected="405", actual=str(reply.status), evidence=[reply.exchange],
            )
        allowed = {part.strip().upper() for part in (reply.exchange.allow or "").split(",") if part.strip()}
        if allowed - IMPLIED != methods:
            raise AllowHeaderWrong(
                f"{method} {path} answered 405 with Allow: {reply.exchange.allow!r}; the contract defines "
                f"{', '.join(sorted(methods))} there",
                expected=", ".join(sorted(methods)), actual=str(reply.exchange.allow), evidence=[reply.exchange],
            )

    for path, methods in defined.items():
        others = set(re.findall(r"{(\w+)}", path)) - {"name"}
        if not others and any(method not in methods for method in PROBED):
            ctx.scenario(lambda path=path, methods=methods: probe(path, methods))
