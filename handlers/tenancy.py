"""Resolving the tenant between auth and body validation, the real server's order (§3)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from handlers.current import TENANT_KEY
from handlers.rules import ModelService

TENANT_HEADER = "x-tenant-name"
_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def tenant_scoped_operations(contract: Mapping) -> set[str]:
    """The operationIds whose operation (or path) declares the ``X-Tenant-Name`` parameter."""
    parameters = contract.get("components", {}).get("parameters", {})

    def is_tenant_header(parameter: Mapping) -> bool:
        if "$ref" in parameter:
            parameter = parameters.get(parameter["$ref"].rsplit("/", 1)[-1], {})
        return parameter.get("in") == "header" and str(parameter.get("name", "")).lower() == TENANT_HEADER

    scoped = set()
    for item in contract.get("paths", {}).values():
        for method, operation in item.items():
            declared = [*item.get("parameters", ()), *operation.get("parameters", ())] if method in _HTTP_METHODS else []
            if any(is_tenant_header(parameter) for parameter in declared):
                scoped.add(operation["operationId"])
    return scoped


class TenantMiddleware:
    """Puts the request's tenant in Connexion's context, or answers 400/403/404."""

    def __init__(self, app: ASGIApp, service: ModelService, operation_ids: Iterable[str]) -> None:
        self.app = app
        self.service = service
        self.operation_ids = frozenset(operation_ids)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        routing = scope.get("extensions", {}).get("connexion_routing", {})
        if scope["type"] == "http" and routing.get("operation_id") in self.operation_ids:
            tenant = self.service.resolve_tenant(Headers(scope=scope).get(TENANT_HEADER))
            scope["extensions"].setdefault("connexion_context", {})[TENANT_KEY] = tenant
        await self.app(scope, receive, send)
