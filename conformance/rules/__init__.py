"""The kit's rules, imported in the order they run and are reported."""

from conformance.rules import (  # noqa: F401  (imported to register the rules)
    patch,
    timestamps,
    names,
    create,
    lifecycle,
    tenants,
    auth,
    responses,
    schema,
)
