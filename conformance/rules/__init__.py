"""The kit's rules, one module per area of the contract; importing this package registers them.

Rules run and are reported in the order of the imports below (the Schemathesis phase last, so
it gets what remains of the budget); after-run checks (`response_schema`) run after all of
them, wherever they are imported.
"""

# isort: skip_file

from conformance.rules import (  # noqa: F401  (imported to register the rules)
    patch,
    timestamps,
    names,
    create,
    create_stored,
    stored_data,
    lengths,
    lifecycle,
    methods,
    tenants,
    auth,
    ui_routes,
    responses,
    schema,
)
