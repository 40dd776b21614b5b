"""The apps ``python -m tests.bench.ceiling`` serves with uvicorn (``--factory``), from the whole
mock down to a bare Flask handler, to measure what the Connexion-on-Flask design costs by itself.

The fixtures folder comes from the ``BENCH_FIXTURES`` environment variable.
"""

from __future__ import annotations

import gc
import os
from functools import partial

import flask
from a2wsgi import WSGIMiddleware
from connexion import FlaskApp
from connexion.middleware import MiddlewarePosition

from handlers.app import create_app
from handlers.tenancy import TenantMiddleware
from tests.bench.population import document

ANSWER = {key: value for key, value in document(1).items() if key != "tenant"}


def _frozen(app):
    gc.freeze()  # as make serve does after loading
    return app


def mock():
    """The mock as ``make serve`` runs it."""
    return _frozen(create_app(os.environ["BENCH_FIXTURES"]))


def mock_lean():
    """The same app without the middleware the project adds (its handlers still need the tenant)
    and without Connexion's Swagger UI middleware: only what Connexion itself must run."""
    app = create_app(os.environ["BENCH_FIXTURES"])
    kept = []
    for middleware in app.middleware.middlewares:
        added = isinstance(middleware, partial)
        if added and middleware.func is not TenantMiddleware:
            continue
        if not added and issubclass(middleware, MiddlewarePosition.BEFORE_SWAGGER.value):
            continue
        kept.append(middleware)
    app.middleware.middlewares = kept
    return _frozen(app)


def _bare_routes(app: flask.Flask) -> flask.Flask:
    @app.route("/api/v1/models/<path:name>", methods=["GET", "PATCH"])
    def model(name: str):
        if flask.request.method == "PATCH":
            return {**ANSWER, **(flask.request.get_json() or {})}
        return ANSWER

    return app


def flask_through_connexion():
    """A bare Flask handler (no contract, no validation) behind Connexion's default middleware."""
    app = FlaskApp(__name__)
    _bare_routes(app.app)
    return _frozen(app)


def flask_through_a2wsgi():
    """The same bare Flask handler behind a2wsgi alone: the floor of Flask on an ASGI server."""
    return _frozen(WSGIMiddleware(_bare_routes(flask.Flask(__name__))))
