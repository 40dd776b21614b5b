"""Hostile targets (issue 8 §4): the mock with one answer meant to exhaust its client.

The kit must fail them naming what it met and never crash; its bounded memory and the admin
key's absence from every output are checked by ``tests/conformance/test_hostile.py``, which runs
the kit as a measured process. A hostile answer breaks most rules that meet it, so each entry
allows every rule to fail and names one that always does.
"""

from __future__ import annotations

import json
import time

from tests.catalogue import hostile as h
from tests.catalogue.base import CATALOGUE, entry
from tests.catalogue.probing import create, get
from tests.kit import RULE_NAMES

EVERY_RULE = tuple(RULE_NAMES)
PROBE_BOUND = 30 * 2**20  # bytes a probe reads before calling a body huge
WAIT = 6.0  # seconds a probe waits for a list that never ends (the mock's takes milliseconds)


def _read_list(http, *, decoded: bool) -> tuple[int, bool]:
    """(bytes read, whether the body ended) within PROBE_BOUND and WAIT."""
    size, started = 0, time.monotonic()
    with http.stream("GET", "/models/") as response:
        chunks = response.iter_bytes() if decoded else response.iter_raw()
        for chunk in chunks:
            size += len(chunk)
            if size > PROBE_BOUND or time.monotonic() - started > WAIT:
                return size, False
    return size, True


@entry("delete", defects=("ResponseTooLarge",), may=EVERY_RULE, wrappers=(h.huge_list_answers,))
def huge_list(http):
    """The model list is a 100 MB JSON array (delete; every rule that lists may fail)."""
    size, ended = _read_list(http, decoded=False)
    return size > PROBE_BOUND and not ended


@entry("delete", defects=("ResponseTooLarge",), may=EVERY_RULE, wrappers=(h.gzip_bomb_answers,))
def gzip_bomb_list(http):
    """The model list is a gzip bomb: 4 MB on the wire, 4 GiB inflated (delete)."""
    size, ended = _read_list(http, decoded=True)
    return size > PROBE_BOUND and not ended


@entry("delete", defects=("NoAnswer",), may=EVERY_RULE, wrappers=(h.drip_answers,))
def drip_list(http):
    """The model list drips one byte every two seconds and never ends (delete)."""
    size, ended = _read_list(http, decoded=False)
    return not ended and size < 100


@entry("delete", defects=("NoAnswer",), may=EVERY_RULE, wrappers=(h.endless_chunks_answers,))
def endless_chunked_list(http):
    """The model list is an endless chunked stream, a small chunk every 50 ms (delete)."""
    size, ended = _read_list(http, decoded=False)
    return not ended and size < PROBE_BOUND


@entry("delete", defects=("NotJson",), may=EVERY_RULE, wrappers=(h.deep_nesting_answers,))
def deeply_nested_list(http):
    """The model list is 200,000 nested arrays, deeper than Python's parser descends (delete)."""
    try:
        json.loads(http.get("/models/").text)
    except RecursionError:
        return True
    return False


@entry("partial_update", defects=("NotJson",), may=EVERY_RULE, wrappers=(h.InfinityInModels,))
def infinity_in_models(http):
    """Every model answered carries "temperature": Infinity, which is not JSON (partial_update)."""
    return "Infinity" in get(http, create(http)["name"]).text


@entry("auth", defects=("AuthNotEnforced",), may=EVERY_RULE, wrappers=(h.HeaderEcho,))
def header_echo(http):
    """Every JSON object answer echoes the request's headers, the admin key among them, and a
    lowercase "bearer" passes (auth)."""
    return "request_headers" in get(http, create(http)["name"]).json()


HOSTILE = tuple(item.name for item in CATALOGUE if item.probe.__module__ == __name__)
"""The entries of this module, for the tests that run the kit against them as a measured process."""
