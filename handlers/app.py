"""The app factory: the contract, the state, the controls and the middleware put together."""

from __future__ import annotations

import copy
import os
from collections.abc import Sequence

import flask
from connexion import FlaskApp
from connexion.jsonifier import Jsonifier
from connexion.middleware import ConnexionMiddleware, MiddlewarePosition
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.options import SwaggerUIOptions

from handlers.contract import CONTRACT_PATH, read_yaml
from handlers.contract import document as contract_document
from handlers.current import SERVICE_KEY
from handlers.error_handlers import install_error_handlers
from handlers.fixtures import DEFAULT_FIXTURES, load_seed
from handlers.flask_bridge import FlaskBridge
from handlers.mock_admin import handlers as control_handlers
from handlers.mock_admin.browser import LoggedCORSMiddleware, RootRedirectMiddleware
from handlers.mock_admin.controls import ADMIN_CONTRACT, CONTROLS_KEY, Controls
from handlers.mock_admin.examples import ContractExamples
from handlers.mock_admin.journal import DEFAULT_SIZE, Journal, RecordingMiddleware, concealer
from handlers.mock_admin.scenarios import RulesTable
from handlers.mock_admin.sessions import SandboxMiddleware
from handlers.mock_admin.state import MockState
from handlers.mock_admin.steering import SteeringMiddleware
from handlers.operation import use_contract_operations
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
from handlers.swagger_ui import SwaggerUIOnItsPaths
from handlers.tenancy import TenantMiddleware
from handlers.validation import validator_map
from handlers.wire import DEFAULT_MAX_BODY_BYTES, BodyLimitMiddleware, MediaTypeMiddleware

CONTROL_PLANE = "/__mock"


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
    control_key: str | None = None,
    journal_size: int = DEFAULT_SIZE,
    rules: Sequence[dict] = (),
    sandbox_limit: int = 1000,
    sandbox_idle_seconds: float = 3600,
) -> FlaskApp:
    """A mock Models API with its control plane under ``/__mock/``.

    State starts as a fresh copy of ``fixtures_dir``, or lives in ``data_path`` (a TinyDB file,
    seeded from the fixtures when new; ``repair`` keeps what can be kept of a corrupt journal).
    Secrets are left out of every answer, or masked with ``secrets="masked"``. A body over
    ``max_body_bytes`` is 413. ``service_class`` lets a caller supply other rules. The control
    plane takes ``control_key`` if given, else the admin keys; ``journal_size`` 0 turns the
    request journal off; ``rules`` are the scenario rules in force at start.
    """
    seed = load_seed(fixtures_dir)
    admin_keys, providers = seed.admin_keys, Providers(seed.providers)
    state = MockState(seed, lambda store: service_class(store, strict_tenancy=strict_tenancy, secrets=secrets,
                                                        providers=providers),
                      data_path=data_path, repair=repair,
                      sandbox_limit=sandbox_limit, sandbox_idle_seconds=sandbox_idle_seconds)
    del seed  # its models are stored (as texts) now: the parsed fixtures are not kept
    service = state.default
    contract = contract_document()
    base_path = contract["servers"][0]["url"]
    examples = ContractExamples(contract)
    controls = Controls(state, Journal(journal_size) if journal_size else None, RulesTable(examples), examples)
    controls.rules.replace(list(rules))

    app = FlaskApp(
        __name__,
        specification_dir=CONTRACT_PATH.parent,
        security_map={"bearer": lambda: AdminKeyHandler(admin_keys)},
        validator_map=validator_map(),
        swagger_ui_options=SwaggerUIOptions(swagger_ui=True),
        jsonifier=Jsonifier(flask.json),  # compact: Connexion's default indent takes json's slow path
        middlewares=[SwaggerUIOnItsPaths if middleware is SwaggerUIMiddleware else middleware
                     for middleware in ConnexionMiddleware.default_middlewares],
    )
    # the documents as parsed dicts: Connexion would parse each file again with the pure-Python YAML loader
    app.add_api(copy.deepcopy(contract), resolver=plain_name_resolver(), validate_responses=validate_responses)
    app.add_api(
        read_yaml(ADMIN_CONTRACT),
        base_path=CONTROL_PLANE,
        resolver=plain_name_resolver([control_handlers]),
        security_map={"bearer": lambda: AdminKeyHandler([control_key] if control_key else admin_keys)},
        validate_responses=validate_responses,
    )
    use_contract_operations(app)
    middleware_app = app._middleware_app  # Connexion's Flask app: a2wsgi's middleware in front of Flask
    middleware_app.asgi_app = FlaskBridge(middleware_app.asgi_app)
    app.app.extensions[SERVICE_KEY] = service
    app.app.extensions[CONTROLS_KEY] = controls
    app.app.json.sort_keys = False
    install_error_handlers(app, service)
    app.add_middleware(RecordingMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION, journal=controls.journal,
                       base_path=base_path, conceal=concealer(service))
    app.add_middleware(BodyLimitMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION, max_bytes=max_body_bytes)
    app.add_middleware(MediaTypeMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION)
    app.add_middleware(
        LoggedCORSMiddleware,
        position=MiddlewarePosition.BEFORE_EXCEPTION,
        allow_origins=list(cors_origins),
        allow_methods=["*"],
        allow_headers=["*"],
    )
    app.add_middleware(RootRedirectMiddleware, position=MiddlewarePosition.BEFORE_ROUTING, target=f"{base_path}/ui/")
    app.add_middleware(
        CanonicalPathMiddleware,
        position=MiddlewarePosition.BEFORE_ROUTING,
        routes=ContractRoutes(base_path, contract["paths"]),
    )
    app.add_middleware(RoutedOnlyMiddleware, position=MiddlewarePosition.BEFORE_SECURITY)
    app.add_middleware(SandboxMiddleware, position=MiddlewarePosition.BEFORE_VALIDATION, select=state.sandboxes.service,
                       base_path=base_path)
    app.add_middleware(SteeringMiddleware, position=MiddlewarePosition.BEFORE_VALIDATION, examples=examples,
                       rules=controls.rules)
    app.add_middleware(TenantMiddleware, position=MiddlewarePosition.BEFORE_VALIDATION, service=service)
    app.add_middleware(
        ModelNamedTypesMiddleware,
        position=MiddlewarePosition.BEFORE_CONTEXT,
        service=service,
        path=f"{base_path}/models/types",
    )
    return app
