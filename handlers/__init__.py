"""The mock Syft Space Models API: a Connexion app driven by ``openapi.yaml``.

Handlers are resolved from the contract's ``operationId``s; business rules live in
:mod:`handlers.rules`, state in :mod:`handlers.store`.
"""
