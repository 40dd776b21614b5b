"""What a handler needs from the request it serves: the service and the resolved tenant."""

from __future__ import annotations

from connexion.context import context
from flask import current_app

from handlers.rules import ModelService

SERVICE_KEY = "models_service"
TENANT_KEY = "tenant"
SANDBOX_KEY = "sandbox"


def service() -> ModelService:
    """The request's sandbox (set by :mod:`handlers.mock_admin.sandboxes`), else the default state."""
    return context.get(SERVICE_KEY) or current_app.extensions[SERVICE_KEY]


def tenant() -> str:
    """Set by :class:`handlers.tenancy.TenantMiddleware` before the body was validated."""
    return context[TENANT_KEY]
