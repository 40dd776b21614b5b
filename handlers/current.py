"""What a handler needs from the request it serves: the service, the resolved tenant and the body."""

from __future__ import annotations

from typing import Any

from connexion.context import context
from flask import current_app
from starlette.types import Scope

from handlers.rules import ModelService

SERVICE_KEY = "models_service"
TENANT_KEY = "tenant"
BODY_KEY = "body"
SANDBOX_KEY = "sandbox"


def request_context(scope: Scope) -> dict:
    """What Connexion hands the handler as ``context``, reached from the request's ASGI scope by
    the middleware that fills it before the handler runs (made when it is not there yet)."""
    return scope.setdefault("extensions", {}).setdefault("connexion_context", {})


def service() -> ModelService:
    """The request's sandbox (set by :mod:`handlers.mock_admin.sandboxes`), else the default state."""
    return context.get(SERVICE_KEY) or current_app.extensions[SERVICE_KEY]


def tenant() -> str:
    """Set by :class:`handlers.tenancy.TenantMiddleware` before the body was validated."""
    return context[TENANT_KEY]


def request_body() -> Any:
    """The JSON body as :mod:`handlers.validation` parsed and checked it.

    Handlers take it from here rather than as Connexion's ``body`` argument, which Flask would
    parse a second time from the same bytes."""
    return context[BODY_KEY]
