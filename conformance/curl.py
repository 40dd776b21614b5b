"""Copy-pasteable curl commands that replay what the kit sent.

The admin key is never printed: commands read it from the `TOKEN` environment variable
(`export TOKEN=<admin key>` first). A deliberately wrong or malformed key is shown as sent.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import replace

from conformance.client import TENANT_HEADER, WITH_TOKEN, Exchange, path_segment
from conformance.effects import effects_of, parsed
from conformance.routes import MODEL


def double_quoted(text: str) -> str:
    """`text` as one double-quoted shell word."""
    return '"' + re.sub(r'([\\"$`])', r"\\\1", text) + '"'


def curl_command(exchange: Exchange) -> str:
    """One exchange as a single shell command."""
    parts = ["curl", "-sS", "-X", exchange.method, shlex.quote(exchange.url)]
    if exchange.authorization is WITH_TOKEN:
        parts += ["-H", '"Authorization: Bearer $TOKEN"']
    elif exchange.authorization is not None:
        # double quotes: the scrubbed report shows the admin key inside it as $TOKEN, which the
        # shell then expands (the malformed forms of the right key replay as sent)
        parts += ["-H", double_quoted(f"Authorization: {exchange.authorization}")]
    if exchange.tenant is not None:
        parts += ["-H", shlex.quote(f"{TENANT_HEADER}: {exchange.tenant}")]
    if exchange.body is not None:
        parts += ["-H", shlex.quote("Content-Type: application/json")]
        parts += ["--data-raw", shlex.quote(exchange.body.decode("utf-8"))]
    return " ".join(parts)


def curl_script(exchanges: list[Exchange]) -> str:
    """A sequence of commands, each followed by the status the target answered, then the
    deletes that remove what the sequence created, so replaying it leaves nothing behind."""
    lines = []
    for exchange in exchanges:
        answered = exchange.status if exchange.status is not None else f"no answer ({exchange.error})"
        lines.append(f"{curl_command(exchange)}  # answered {answered}")
    cleanup = [curl_command(delete) for delete in _deletes_for_leftovers(exchanges)]
    if cleanup:
        lines += ["# then remove what the commands above created:", *cleanup]
    return "\n".join(lines)


def _deletes_for_leftovers(exchanges: list[Exchange]) -> list[Exchange]:
    """A DELETE for every model the sequence created and did not delete, under its last name."""
    alive: dict[tuple[str | None, str], Exchange] = {}  # (tenant, name) -> the create
    for exchange in exchanges:
        effects = effects_of(exchange.method, exchange.template, exchange.status, exchange.name,
                             parsed(exchange.body), parsed(exchange.text))
        for effect in effects:
            if effect.kind == "created":
                alive[(exchange.tenant, effect.name)] = exchange
            elif effect.kind == "renamed" and (exchange.tenant, effect.old) in alive:
                alive[(exchange.tenant, effect.name)] = alive.pop((exchange.tenant, effect.old))
            else:
                alive.pop((exchange.tenant, effect.name), None)
    return [
        replace(create, method="DELETE", template=MODEL, name=name, body=None, authorization=WITH_TOKEN,
                url=create.url.rstrip("/") + "/" + path_segment(name))
        for (_, name), create in alive.items()
    ]
