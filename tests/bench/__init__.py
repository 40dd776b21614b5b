"""Benchmarks (``make bench``): scripts that print figures; no test depends on them."""
