"""The mock's own controls for frontend developers and test suites, apart from the contract.

* :mod:`.state`, :mod:`.sandboxes`: the default state, private sandboxes, reset, import/export;
* :mod:`.journal`: the console line per request and the request journal;
* :mod:`.scenarios`, :mod:`.steering`, :mod:`.examples`: scenario rules and ``Prefer``;
* :mod:`.handlers` over ``mock-admin.yaml``: the control plane under ``/__mock/``;
* :mod:`.browser`: the ``/`` redirect and logged CORS refusals; :mod:`.watch`: ``--watch``.
"""
