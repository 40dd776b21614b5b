"""The app factory: the contract, the store and the middleware put together."""

from __future__ import annotations

import os
from collections.abc import Sequence

import flask
from connexion import FlaskApp
from connexion.jsonifier import Jsonifier
from connexion.middleware import ConnexionMiddleware, MiddlewarePosition
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.options import SwaggerUIOptions
from starlette.middleware.cors import CORSMiddleware

from handlers.contract import CONTRACT_PATH
from handlers.contract import document as contract_document
from handlers.current import SERVICE_KEY
from handlers.error_handlers import install_error_handlers
from handlers.fixtures import DEFAULT_FIXTURES, load_seed
from handlers.providers import Providers
from handlers.resolver import plain_name_resolver
from handlers.routing import (
    CanonicalPathMiddleware,
    ContractRoutes,
    ModelNamedTypesMiddleware,
    RoutedOnlyMiddleware,
)
from handlers.rules import ModelService
from handlers.secrets import OMITTED
from handlers.security import AdminKeyHandler
from handlers.storage import open_db
from handlers.store import ModelStore
from handlers.swagger_ui import SwaggerUIOnItsPaths
from handlers.tenancy import TenantMiddleware
from handlers.validation import validator_map
from handlers.wire import DEFAULT_MAX_BODY_BYTES, BodyLimitMiddleware, MediaTypeMiddleware


def create_app(
    fixtures_dir: str | os.PathLike = DEFAULT_FIXTURES,
    *,
    data_path: str | os.PathLike | None = None,
    repair: bool = False,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    strict_tenancy: bool = False,
    secrets: str = OMITTED,
    cors_origins: Sequence[str] = ("*",),
    validate_responses: bool = False,
    service_class: type[ModelService] = ModelService,
) -> FlaskApp:
    """A mock Models API.

    State starts as a fresh copy of ``fixtures_dir``, or lives in ``data_path`` (a TinyDB file,
    seeded from the fixtures when new; ``repair`` keeps what can be kept of a corrupt journal).
    Secrets are left out of every answer, or masked with ``secrets="masked"``. A body over
    ``max_body_bytes`` is 413. ``service_class`` lets a caller supply other rules.
    """
    seed = load_seed(fixtures_dir)
    store = ModelStore.seeded(open_db(data_path, repair=repair), seed.tenants, seed.model_types, seed.models)
    service = service_class(store, strict_tenancy=strict_tenancy, secrets=secrets, providers=Providers(seed.providers))
    contract = contract_document()
    base_path = contract["servers"][0]["url"]

    app = FlaskApp(
        __name__,
        specification_dir=CONTRACT_PATH.parent,
        security_map={"bearer": lambda: AdminKeyHandler(seed.admin_keys)},
        validator_map=validator_map(),
        swagger_ui_options=SwaggerUIOptions(swagger_ui=True),
        jsonifier=Jsonifier(flask.json),  # compact: Connexion's default indent takes json's slow path
        middlewares=[SwaggerUIOnItsPaths if middleware is SwaggerUIMiddleware else middleware
                     for middleware in ConnexionMiddleware.default_middlewares],
    )
    app.add_api(CONTRACT_PATH.name, resolver=plain_name_resolver(), validate_responses=validate_responses)
    app.app.extensions[SERVICE_KEY] = service
    app.app.json.sort_keys = False
    install_error_handlers(app, service)
    app.add_middleware(BodyLimitMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION, max_bytes=max_body_bytes)
    app.add_middleware(MediaTypeMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION)
    app.add_middleware(
        CORSMiddleware,
        position=MiddlewarePosition.BEFORE_EXCEPTION,
        allow_origins=list(cors_origins),
        allow_methods=["*"],
        allow_headers=["*"],
    )
    app.add_middleware(
        CanonicalPathMiddleware,
        position=MiddlewarePosition.BEFORE_ROUTING,
        routes=ContractRoutes(base_path, contract["paths"]),
    )
    app.add_middleware(RoutedOnlyMiddleware, position=MiddlewarePosition.BEFORE_SECURITY)
    app.add_middleware(TenantMiddleware, position=MiddlewarePosition.BEFORE_VALIDATION, service=service)
    app.add_middleware(
        ModelNamedTypesMiddleware,
        position=MiddlewarePosition.BEFORE_CONTEXT,
        service=service,
        path=f"{base_path}/models/types",
    )
    return app
