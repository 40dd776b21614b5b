"""Authentication (docs/contract.md §2): every route is 401 without a valid admin key and does nothing."""

from __future__ import annotations

import secrets as random_secrets

from conformance.api import MODELS, ModelsApi, expect_not_found
from conformance.compare import all_fields, changed_fields
from conformance.context import RuleContext
from conformance.registry import rule
from conformance.routes import KNOWN_ACTION, PATCH_MODEL, TYPE_ACTION
from conformance.violations import AuthNotEnforced, PhantomModelCreated


def bad_authorizations(token: str) -> list[tuple[str, str | None]]:
    """Headers that must all be refused: none, a wrong key, and malformed forms of the right one."""
    return [
        ("no Authorization header", None),
        ("a wrong key", f"Bearer ck-wrong-{random_secrets.token_hex(8)}"),
        ("lowercase 'bearer'", f"bearer {token}"),
        ("another scheme", f"Token {token}"),
        ("the key without a scheme", token),
    ]


def _other_parameters(path: str, ctx: RuleContext) -> dict[str, str]:
    """Values for the path parameters besides `{name}`: the learned type, the contract's one action."""
    dtype = ctx.recipe.dtype if ctx.recipe else "openai"
    known = {"dtype": dtype, "action_name": KNOWN_ACTION}
    return {parameter: value for parameter, value in known.items() if "{" + parameter + "}" in path}


@rule(writes=False)
def auth(ctx: RuleContext) -> None:
    """Every route the contract secures (a public one, `security: []`, is left out) is 401 without the key, with a wrong key or a malformed header, and changes nothing (docs/contract.md §2.1, §2.2)."""
    api: ModelsApi = ctx.api
    read_only = ctx.options.read_only
    operations = [op for op in ctx.contract.operations if op.secured and (op.method == "GET" or not read_only)]

    def steps() -> None:
        model = None if read_only else api.create_ok(ctx.name("auth"))
        before = None if model is None else api.get_ok(model["name"])
        fresh = ctx.name("auth-new")
        for operation in operations:
            for label, authorization in bad_authorizations(ctx.options.token):
                name = None
                body = None
                if "{name}" in operation.path:
                    if operation.path.startswith("/models/types/"):
                        name = ctx.recipe.dtype if ctx.recipe else "openai"
                    else:
                        name = model["name"] if model else ctx.name("auth-missing")
                if operation.method == "POST" and operation.path == MODELS:
                    body = api.create_body(fresh)
                elif operation.method == "PATCH":
                    body = {"summary": "ck unauthorised"}
                elif operation.path == TYPE_ACTION:
                    # no arguments: even a deployment that ignores the key runs no provider call
                    body = {}
                kwargs = {"body": body} if body is not None else {}
                reply = api.send(operation.method, operation.path, name=name, authorization=authorization,
                                 params=_other_parameters(operation.path, ctx), **kwargs)
                if reply.status != 401:
                    raise AuthNotEnforced(
                        f"{operation.method} {operation.path} with {label} answered {reply.status}, not 401",
                        expected="401", actual=str(reply.status), evidence=[reply.exchange],
                    )
        if model is not None:
            after = api.get_ok(model["name"])
            differences = changed_fields(before, after, all_fields(before, after))
            if differences:
                raise AuthNotEnforced(
                    "unauthenticated requests changed the model: " + "; ".join(differences),
                    operation=PATCH_MODEL, expected="the model unchanged", actual="; ".join(differences)[:300],
                )
            expect_not_found(api.get(fresh), PhantomModelCreated, f"after an unauthenticated POST of {fresh!r}")

    if not read_only:
        ctx.require_recipe()
    ctx.scenario(steps)
    if read_only:
        ctx.note("read-only: only the GET routes were checked")
