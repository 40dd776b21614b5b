"""Connexion's Swagger UI middleware, entered only by the requests it serves.

Connexion's own runs a Starlette router (mounts, route matching, a copy of the scope) on every
request, API calls included, before passing them on: a few percent of every GET. This one passes
a request straight on unless its path starts with one of the UI's or the spec's routes.
"""

from __future__ import annotations

from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from starlette.routing import Mount
from starlette.types import Receive, Scope, Send


class SwaggerUIOnItsPaths(SwaggerUIMiddleware):
    """The Swagger UI and the spec where Connexion serves them; every other path goes straight on."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._prefixes: tuple[str, ...] = ()

    def add_api(self, *args, **kwargs) -> None:
        super().add_api(*args, **kwargs)
        for mount in self.router.routes:
            if isinstance(mount, Mount):
                self._prefixes += tuple(mount.path + route.path for route in mount.routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(self._prefixes):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)
