"""Resolving the tenant between auth and body validation, the real server's order (§3)."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from handlers import contract
from handlers.current import SERVICE_KEY, TENANT_KEY, request_context
from handlers.rules import ModelService

TENANT_HEADER = contract.TENANT_HEADER.lower()


class TenantMiddleware:
    """Puts the request's tenant in Connexion's context, or answers 400/403/404."""

    def __init__(self, app: ASGIApp, service: ModelService) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        routing = scope.get("extensions", {}).get("connexion_routing", {})
        if scope["type"] == "http" and routing.get("operation_id") in contract.tenant_scoped_operations():
            context = request_context(scope)
            service = context.get(SERVICE_KEY, self.service)  # a sandbox's tenants, if one is chosen
            context[TENANT_KEY] = service.resolve_tenant(Headers(scope=scope).get(TENANT_HEADER))
        await self.app(scope, receive, send)
