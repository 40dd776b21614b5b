"""Routing as the real server does it (docs/contract.md §1), where Connexion or Werkzeug differ.

* 307 redirects between a path and its canonical form: ``/models`` goes to ``/models/``,
  ``/models/x/`` to ``/models/x``. A path that is itself a route is never redirected.
* A method the contract does not list for a path is 405 with an ``Allow`` header naming the
  methods it does list.
* Names may hold a newline. Connexion mounts the API under its base path with a pattern that
  stops at newlines, so the newline is escaped for Connexion's routing and restored after it;
  a request Connexion did not route never reaches a Flask view (it would skip auth).
* ``/models/types`` is the model named ``types`` (which can never exist), not a redirect to
  ``/models/types/`` as Werkzeug's trailing-slash rule would answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from handlers.current import TENANT_KEY, request_context
from handlers.rules import ModelService

_NEWLINE = "\n"
_NEWLINE_STAND_IN = "\x00newline\x00"
_ORIGINAL_PATH = "syft_original_path"
_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


class ContractRoutes:
    """The contract's paths as patterns, and the methods each one lists."""

    def __init__(self, base_path: str, paths: Mapping[str, Mapping]) -> None:
        self._routes = [
            (
                re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(base_path + template)) + r"\Z", re.DOTALL),
                sorted(method.upper() for method in operations if method in _HTTP_METHODS),
            )
            for template, operations in paths.items()
        ]

    def methods(self, path: str) -> list[str] | None:
        """The methods of the route ``path`` matches, or None if it matches none."""
        for pattern, methods in self._routes:
            if pattern.match(path):
                return methods
        return None


def _relative_location(scope: Scope) -> str:
    """The path with its trailing slash added or removed, as sent (percent-encoded), with its query.

    Relative, never built from the ``Host`` header: a forged Host must not steer the client away.
    """
    raw = scope.get("raw_path") or scope["path"].encode()
    location = (raw[:-1] if raw.endswith(b"/") else raw + b"/").decode("latin-1")
    query = scope.get("query_string", b"")
    return location + ("?" + query.decode("latin-1") if query else "")


class CanonicalPathMiddleware:
    """Redirects to canonical paths and answers 405 before routing, as the real server does."""

    def __init__(self, app: ASGIApp, routes: ContractRoutes) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        methods = self.routes.methods(path)
        if methods is None:
            alternative = path[:-1] if path.endswith("/") else path + "/"
            if self.routes.methods(alternative) is not None:
                await RedirectResponse(_relative_location(scope), status_code=307)(scope, receive, send)
                return
        elif scope["method"] not in methods:
            raise HTTPException(405, headers={"Allow": ", ".join(methods)})
        if _NEWLINE in path:
            scope = {**scope, "path": path.replace(_NEWLINE, _NEWLINE_STAND_IN), _ORIGINAL_PATH: path}
        await self.app(scope, receive, send)


class RoutedOnlyMiddleware:
    """After routing: restores an escaped path, and stops requests no operation matched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if _ORIGINAL_PATH in scope:
                scope["path"] = scope.pop(_ORIGINAL_PATH)
            routing = scope.get("extensions", {}).get("connexion_routing", {})
            if routing.get("operation_id") is None:
                raise HTTPException(404)
        await self.app(scope, receive, send)


class ModelNamedTypesMiddleware:
    """Answers ``/models/types`` after auth, tenant and body validation, as the model ``types``."""

    def __init__(self, app: ASGIApp, service: ModelService, path: str) -> None:
        self.app = app
        self.service = service
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == self.path:
            tenant = request_context(scope)[TENANT_KEY]
            self.service.get_model(tenant, scope["path"].rsplit("/", 1)[1])
        await self.app(scope, receive, send)
