"""Baselines of known discrepancies shipped with the kit (`--baseline <name>`)."""
