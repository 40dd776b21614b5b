"""Copy-pasteable curl commands that replay what the kit sent.

The admin key is never printed: commands read it from the `TOKEN` environment variable
(`export TOKEN=<admin key>` first). A deliberately wrong or malformed key is shown as sent.
"""

from __future__ import annotations

import shlex

from conformance.client import TENANT_HEADER, WITH_TOKEN, Exchange


def curl_command(exchange: Exchange) -> str:
    """One exchange as a single shell command."""
    parts = ["curl", "-sS", "-X", exchange.method, shlex.quote(exchange.url)]
    if exchange.authorization is WITH_TOKEN:
        parts += ["-H", '"Authorization: Bearer $TOKEN"']
    elif exchange.authorization is not None:
        parts += ["-H", shlex.quote(f"Authorization: {exchange.authorization}")]
    if exchange.tenant is not None:
        parts += ["-H", shlex.quote(f"{TENANT_HEADER}: {exchange.tenant}")]
    if exchange.body is not None:
        parts += ["-H", shlex.quote("Content-Type: application/json")]
        parts += ["--data-raw", shlex.quote(exchange.body.decode("utf-8"))]
    return " ".join(parts)


def curl_script(exchanges: list[Exchange]) -> str:
    """A sequence of commands, each followed by the status the target answered."""
    lines = []
    for exchange in exchanges:
        answered = exchange.status if exchange.status is not None else f"no answer ({exchange.error})"
        lines.append(f"{curl_command(exchange)}  # answered {answered}")
    return "\n".join(lines)
