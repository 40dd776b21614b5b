"""What the kit created on the target, so it can delete exactly that and nothing else.

Models are tracked by (tenant, current name) and followed through renames. Cleanup deletes every
tracked model, then sweeps each tenant it used for names carrying this run's unique prefix (models
Schemathesis created through paths the tracker did not see). Whatever cannot be deleted is kept
as `remaining` for the report.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field

from conformance.client import Client
from conformance.effects import Effect
from conformance.violations import ContractViolation


def new_run_prefix() -> str:
    """A name prefix no other run (and no human) will use: `ck-` and 10 hex digits."""
    return f"ck-{secrets.token_hex(5)}-"


@dataclass
class Tracker:
    """`tenants` are swept even if no create was seen there (one cut short by Ctrl-C)."""

    prefix: str
    tenants: set[str | None] = field(default_factory=set)
    _models: set[tuple[str | None, str]] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    remaining: list[tuple[str | None, str, str]] = field(default_factory=list)

    def created(self, tenant: str | None, name: str) -> None:
        with self._lock:
            self._models.add((tenant, name))
            self.tenants.add(tenant)

    def renamed(self, tenant: str | None, old: str, new: str) -> None:
        with self._lock:
            if (tenant, old) in self._models:
                self._models.discard((tenant, old))
                self._models.add((tenant, new))

    def deleted(self, tenant: str | None, name: str) -> None:
        with self._lock:
            self._models.discard((tenant, name))

    def apply(self, tenant: str | None, effects: list[Effect]) -> None:
        """Follow what a write did (see `conformance.effects`)."""
        for effect in effects:
            if effect.kind == "created":
                self.created(tenant, effect.name)
            elif effect.kind == "renamed" and effect.old is not None:
                self.renamed(tenant, effect.old, effect.name)
            else:
                self.deleted(tenant, effect.name)

    def owns(self, tenant: str | None, name: str) -> bool:
        with self._lock:
            return (tenant, name) in self._models

    def tracked(self) -> list[tuple[str | None, str]]:
        with self._lock:
            return sorted(self._models, key=lambda item: (item[0] or "", item[1]))

    def cleanup(self, client: Client) -> list[tuple[str | None, str, str]]:
        """Delete everything this run created; return (tenant, name, why) for what is left.

        Deletes the tracked models, then sweeps each tenant used for names under the run's
        prefix, then lists again: a model still listed is left, whatever DELETE answered.
        """
        left: dict[tuple[str | None, str], str] = {}
        for tenant, name in self.tracked():
            why = _delete(client.as_tenant(tenant), name)
            if why is not None:
                left[(tenant, name)] = why
        with self._lock:
            tenants = sorted(self.tenants, key=lambda tenant: tenant or "")
        for tenant in tenants:
            scoped = client.as_tenant(tenant)
            for name in self._ours(scoped, tenant, left):
                why = _delete(scoped, name)
                if why is not None:
                    left[(tenant, name)] = why
            for name in self._ours(scoped, tenant, left):
                left.setdefault((tenant, name), "still listed after DELETE")
        for tenant, name in self.tracked():
            if (tenant, name) not in left:
                self.deleted(tenant, name)
        self.remaining = [
            (tenant, name, why)
            for (tenant, name), why in sorted(left.items(), key=lambda item: (item[0][0] or "", item[0][1]))
        ]
        return self.remaining

    def _ours(self, client: Client, tenant: str | None, left: dict) -> list[str]:
        """Names in the tenant's listing that this run created (its prefix, or tracked)."""
        try:
            listed = client.request("GET", "/models/").expect(200)
            names = [item.get("name") for item in listed if isinstance(item, dict)]
        except (ContractViolation, AttributeError, TypeError) as exc:
            left[(tenant, "<listing>")] = f"could not list the tenant to check it: {exc}"
            return []
        left.pop((tenant, "<listing>"), None)
        return [
            name for name in names
            if isinstance(name, str) and (name.startswith(self.prefix) or self.owns(tenant, name))
        ]


def addressable(name: str) -> bool:
    """Whether a URL can name the model: `""`, `.`, `..` and names with `/` cannot (docs/contract.md §7.8)."""
    return name not in ("", ".", "..") and "/" not in name


def _delete(client: Client, name: str) -> str | None:
    """Delete one model; `None` when it is gone (deleted now or already absent)."""
    if not addressable(name):
        return "no URL can name it (the target accepted a name the contract forbids): delete it by hand"
    try:
        reply = client.request("DELETE", "/models/{name}", name=name)
    except ContractViolation as exc:
        return str(exc)
    if reply.status in (200, 404):
        return None
    return f"DELETE answered {reply.status}"
