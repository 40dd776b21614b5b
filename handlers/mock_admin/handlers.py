"""Handlers of the control plane (``mock-admin.yaml``): thin, over :class:`Controls`."""

from __future__ import annotations

from handlers.current import request_body
from handlers.errors import ApiError
from handlers.fixtures import FixtureError, checked_state
from handlers.mock_admin.controls import controls


def _done(message: str):
    return {"message": message}, 200


def reset_state(sandbox: str | None = None, tenant: str | None = None):
    controls().state.reset(sandbox=sandbox, tenant=tenant)
    scope = " and ".join(part for part in (sandbox and f"sandbox '{sandbox}'", tenant and f"tenant '{tenant}'") if part)
    return _done(f"Reset to the fixtures: {scope or 'everything'}")


def list_requests(method=None, path=None, status=None, sandbox=None, tenant=None, limit=1000):
    journal = controls().journal
    if journal is None:
        return [], 200
    return journal.entries(method=method, path=path, status=status, sandbox=sandbox, tenant=tenant, limit=limit), 200


def clear_requests():
    if controls().journal is not None:
        controls().journal.clear()
    return _done("Request journal cleared")


def list_rules():
    return controls().rules.shown(), 200


def replace_rules():
    controls().rules.replace(request_body())
    return controls().rules.shown(), 200


def clear_rules():
    controls().rules.clear()
    return _done("Scenario rules removed")


def export_state(sandbox: str | None = None):
    return controls().state.export(sandbox), 200


def import_state(sandbox: str | None = None):
    body = request_body()
    sources = {kind: f"state.{kind}" for kind in ("tenants", "model_types", "models")}
    try:
        state = checked_state(body["tenants"], body["model_types"], body["models"], sources)
    except FixtureError as exc:
        raise ApiError(400, str(exc)) from None
    controls().state.load(sandbox=sandbox, **state)
    return _done(f"State loaded into {f'sandbox {sandbox!r}' if sandbox else 'the default state'}")


def list_sandboxes():
    sandboxes = controls().state.sandboxes
    return {"sandboxes": sandboxes.names(), "limit": sandboxes.limit, "idle_seconds": sandboxes.idle_seconds}, 200
