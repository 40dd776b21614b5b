"""Every error answered as JSON in the real server's shape: the mock's own errors
(:mod:`handlers.errors`), Connexion's and Starlette's, and anything unexpected (a 500, never HTML).
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from connexion import FlaskApp
from connexion.exceptions import (
    ProblemException,
    Unauthorized,
    UnsupportedMediaTypeProblem,
)
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from starlette.exceptions import HTTPException

from handlers.datafile import WriteFailed
from handlers.errors import ADMIN_KEY_REQUIRED, ApiError, RequestInvalid, error_entry
from handlers.rules import ModelService
from handlers.wire import BODY_TOO_LARGE, BodyTooLarge

logger = logging.getLogger(__name__)


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=status,
        mimetype="application/json",
        content_type="application/json",
        body=json.dumps(body),
        headers=headers or {},
    )


def _api_error(_request: ConnexionRequest, exc: ApiError) -> ConnexionResponse:
    return json_response(exc.status, {"detail": exc.detail}, exc.headers)


def _unauthorized(_request: ConnexionRequest, _exc: Exception) -> ConnexionResponse:
    return json_response(401, {"detail": ADMIN_KEY_REQUIRED})


def _not_json(_request: ConnexionRequest, _exc: Exception) -> ConnexionResponse:
    """The real server reads a non-JSON body as a value that is not an object."""
    msg = "Input should be a valid dictionary or object to extract fields from"
    return json_response(422, {"detail": [error_entry("model_attributes_type", ["body"], msg, None)]})


def _problem(_request: ConnexionRequest, exc: ProblemException) -> ConnexionResponse:
    detail = exc.detail or exc.title or "Error"
    return json_response(exc.status, {"detail": str(detail)}, dict(exc.headers or {}))


def _http_exception(_request: ConnexionRequest, exc: HTTPException) -> ConnexionResponse:
    """Routing errors (404, 405) carry the status phrase only, as the real server's do."""
    return json_response(exc.status_code, {"detail": HTTPStatus(exc.status_code).phrase}, dict(exc.headers or {}))


def _write_failed(_request: ConnexionRequest, exc: WriteFailed) -> ConnexionResponse:
    """The data file refused a write; nothing of the request was applied (docs/contract.md §13)."""
    logger.error("write failed: %s", exc)
    return json_response(503, {"detail": f"Service Unavailable: {exc}"})


def _body_too_large(_request: ConnexionRequest, _exc: BodyTooLarge) -> ConnexionResponse:
    return json_response(413, BODY_TOO_LARGE)


def _unexpected(_request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    logger.error("unhandled error", exc_info=exc)
    return json_response(500, {"detail": "Internal Server Error"})


def install_error_handlers(app: FlaskApp, service: ModelService) -> None:
    """Every error, expected or not, answers JSON in the real server's shape, never HTML.

    A 422 echoes the request, so ``service`` hides the secrets in it first.
    """

    def request_invalid(_request: ConnexionRequest, exc: RequestInvalid) -> ConnexionResponse:
        return json_response(422, {"detail": service.shown_problems(exc)})

    app.add_error_handler(ApiError, _api_error)
    app.add_error_handler(RequestInvalid, request_invalid)
    app.add_error_handler(WriteFailed, _write_failed)
    app.add_error_handler(BodyTooLarge, _body_too_large)
    app.add_error_handler(Unauthorized, _unauthorized)
    app.add_error_handler(UnsupportedMediaTypeProblem, _not_json)
    app.add_error_handler(ProblemException, _problem)
    app.add_error_handler(HTTPException, _http_exception)
    app.add_error_handler(Exception, _unexpected)
