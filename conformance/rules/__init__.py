"""The kit's rules, imported in the order they run and are reported."""

from conformance.rules import (  # noqa: F401  (imported to register the rules)
    auth,
    create,
    lifecycle,
    names,
    patch,
    responses,
    schema,
    tenants,
    timestamps,
)
