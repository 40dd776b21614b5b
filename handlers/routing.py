"""Routing as the real server does it (contract-notes §1), where Werkzeug would differ.

* 307 redirects between a path and its canonical form: ``/models`` goes to ``/models/``,
  ``/models/x/`` to ``/models/x``. A path that is itself a route is never redirected.
* ``/models/types`` is the model named ``types`` (which can never exist), not a redirect to
  ``/models/types/`` as Werkzeug's trailing-slash rule would answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from starlette.datastructures import URL
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from handlers.current import TENANT_KEY
from handlers.rules import ModelService


def route_patterns(base_path: str, templates: Iterable[str]) -> list[re.Pattern]:
    """One regular expression per path template of the contract."""
    return [
        re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(base_path + template)) + "$")
        for template in templates
    ]


class SlashRedirectMiddleware:
    def __init__(self, app: ASGIApp, routes: list[re.Pattern]) -> None:
        self.app = app
        self.routes = routes

    def _is_route(self, path: str) -> bool:
        return any(route.match(path) for route in self.routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            alternative = path[:-1] if path.endswith("/") else path + "/"
            if not self._is_route(path) and self._is_route(alternative):
                target = URL(scope=scope).replace(path=alternative)
                await RedirectResponse(str(target), status_code=307)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class ModelNamedTypesMiddleware:
    """Answers ``/models/types`` after auth, tenant and body validation, as the model ``types``."""

    def __init__(self, app: ASGIApp, service: ModelService, path: str) -> None:
        self.app = app
        self.service = service
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == self.path:
            tenant = scope["extensions"]["connexion_context"][TENANT_KEY]
            self.service.get_model(tenant, scope["path"].rsplit("/", 1)[1])
        await self.app(scope, receive, send)
