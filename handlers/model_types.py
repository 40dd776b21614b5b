"""Handlers of the ``/models/types/`` routes (not tenant-scoped)."""

from __future__ import annotations

from handlers.current import request_body, service


def list_model_types():
    return service().list_types(), 200


def get_model_type(name: str):
    return service().get_type(name), 200


def get_model_type_schema(name: str):
    return service().get_type_schema(name), 200


def run_model_type_action(dtype: str, action_name: str):
    return service().run_type_action(dtype, action_name, request_body()), 200
