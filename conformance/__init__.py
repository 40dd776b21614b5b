"""Conformance kit: property-tests a Models API deployment against `openapi.yaml`.

Run it as `syft-conformance`, `python -m conformance`, or `pytest conformance`.
"""
