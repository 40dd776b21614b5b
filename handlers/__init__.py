"""The mock Syft Space Models API: a Connexion app driven by ``openapi.yaml``.

Two layers, and one rule between them.

* **The domain** decides: :mod:`handlers.rules` (every business rule and message), the errors
  it raises (:mod:`handlers.errors`), the description of invalid input (:mod:`handlers.problems`),
  the shapes of a model (:mod:`handlers.documents`), secrets (:mod:`handlers.secrets`), the
  contract's facts (:mod:`handlers.contract`), state (:mod:`handlers.store`,
  :mod:`handlers.storage`), time (:mod:`handlers.clock`) and seed data (:mod:`handlers.fixtures`).
* **The HTTP layer** translates: the app factory, the request validator, the error responses,
  routing, tenancy, auth, limits and the thin handlers resolved from the contract's operationIds.

The rule: nothing in the domain imports Connexion, Flask, Starlette or uvicorn, directly or
through another module; the HTTP layer imports the domain, never the other way round. The
domain's rules can then be called, and tested, without a server. ``tests/test_layers.py``
fails when a domain module pulls a web framework in.
"""
