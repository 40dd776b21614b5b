"""Copy-pasteable curl commands that replay what the kit sent.

The admin key is never printed: commands read it from the `TOKEN` environment variable
(`export TOKEN=<admin key>` first). A deliberately wrong or malformed key is shown as sent.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import replace

from conformance.api import MODEL, MODELS
from conformance.client import TENANT_HEADER, WITH_TOKEN, Exchange, path_segment


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
        key = (exchange.tenant, exchange.name)
        sent_name = _sent_name(exchange)
        if exchange.method == "POST" and exchange.template == MODELS and exchange.status == 201 and sent_name:
            alive[(exchange.tenant, sent_name)] = exchange
        elif exchange.method == "PATCH" and exchange.status == 200 and sent_name and key in alive:
            alive[(exchange.tenant, sent_name)] = alive.pop(key)
        elif exchange.method == "DELETE" and exchange.status == 200:
            alive.pop(key, None)
    return [
        replace(create, method="DELETE", template=MODEL, name=name, body=None, authorization=WITH_TOKEN,
                url=create.url.rstrip("/") + "/" + path_segment(name))
        for (_, name), create in alive.items()
    ]


def _sent_name(exchange: Exchange) -> str | None:
    try:
        name = json.loads(exchange.body or b"null").get("name")
    except (ValueError, AttributeError):
        return None
    return name if isinstance(name, str) else None
