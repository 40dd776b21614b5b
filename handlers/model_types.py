"""Handlers of the ``/models/types/`` routes (not tenant-scoped)."""

from __future__ import annotations

from handlers.current import service


def list_model_types():
    return service().list_types(), 200


def get_model_type(name: str):
    return service().get_type(name), 200
