"""The kit's rules, imported in the order they run and are reported.

`response_schema` judges the answers every earlier rule received, so it comes after them.
"""

# isort: skip_file

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
