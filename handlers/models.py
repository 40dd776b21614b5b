"""Handlers of the ``/models/`` routes: parse, call the service, shape the answer."""

from __future__ import annotations

from flask import Response

from handlers.current import request_body, service, tenant


def list_models():
    # encoded by the service, which keeps each model's JSON: a list of 10,000 models is one join
    return Response(service().list_models_json(tenant()), 200, mimetype="application/json")


def create_model():
    return service().create_model(tenant(), request_body()), 201


def get_model(name: str):
    return service().get_model(tenant(), name), 200


def update_model(name: str):
    return service().update_model(tenant(), name, request_body()), 200


def delete_model(name: str):
    return service().delete_model(tenant(), name), 200


def get_model_health(name: str):
    return service().model_health(tenant(), name), 200
