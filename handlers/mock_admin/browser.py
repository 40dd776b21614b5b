"""What a browser meets first: ``/`` leads to the Swagger UI, and refused CORS is explained."""

from __future__ import annotations

import logging

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

console = logging.getLogger("syft_models_mock.cors")


class LoggedCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, plus a console line naming the origin when a preflight is refused.

    Without it the browser only says "Failed to fetch" and the server says nothing.
    """

    def __init__(self, app: ASGIApp, allow_origins: list[str], **options) -> None:
        any_origin = "*" in allow_origins
        # an explicit echo of the origin (not "*"), so pages may send cookies (the sandbox cookie)
        super().__init__(app, allow_origins=[] if any_origin else allow_origins,
                         allow_origin_regex=".*" if any_origin else None, allow_credentials=True, **options)
        self.allowed_list = ", ".join(allow_origins)

    def preflight_response(self, request_headers: Headers) -> Response:
        origin = request_headers["origin"]
        if not self.is_allowed_origin(origin=origin):
            console.warning("CORS preflight refused for origin %s (allowed: %s; add it with --cors-origin)",
                            origin[:200], self.allowed_list)
        return super().preflight_response(request_headers)


class RootRedirectMiddleware:
    """``GET /`` answers 307 to the Swagger UI of the Models API."""

    def __init__(self, app: ASGIApp, target: str) -> None:
        self.app = app
        self.target = target

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/" and scope["method"] in ("GET", "HEAD"):
            await RedirectResponse(self.target, status_code=307)(scope, receive, send)
            return
        await self.app(scope, receive, send)
