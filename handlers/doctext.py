"""A stored document held as its compact JSON text, not as a dict.

A model held as a dict of strings costs about 1.75 KB of Python objects; its JSON text costs
its length plus 49 bytes, in one object the garbage collector never scans. A document is read
by parsing its text (a fresh dict, a few µs) and written by encoding a new text. The text is
ASCII (``\\u`` escapes), so any string Python holds, a lone surrogate too, round-trips and
encodes to bytes without error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from json.encoder import c_make_encoder, encode_basestring_ascii
from typing import Any

Text = str  # a document's JSON text

decode = json.loads


def _not_json(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# json's C encoder made once (json.dumps builds one per call: a fifth of the cost of a model);
# no check for cycles: documents come from JSON
_chunks = c_make_encoder(None, _not_json, encode_basestring_ascii, None, ":", ",", False, False, True)


def encode(document: Any) -> Text:
    """The compact, ASCII JSON text of ``document``."""
    return "".join(_chunks(document, 0))


def encoded(documents: dict[str, dict]) -> dict[str, Text]:
    """A table's documents as texts, keyed as they were."""
    return {doc_id: encode(document) for doc_id, document in documents.items()}


def object_chunks(members: Iterable[tuple[str, Text | None | Iterator[str]]]) -> Iterator[str]:
    """A JSON object from keys and the JSON texts of their values (None: ``null``; an iterator: its
    chunks), in chunks: the values are never copied into one whole text."""
    separator = "{"
    for key, value in members:
        yield f"{separator}{encode(key)}:"
        if isinstance(value, Iterator):
            yield from value
        else:
            yield "null" if value is None else value
        separator = ","
    yield "{}" if separator == "{" else "}"


def tables_chunks(tables: dict[str, dict[str, Text]]) -> Iterator[str]:
    """The JSON text of every table (a map of document id to document), in chunks to write one by one."""
    return object_chunks((name, object_chunks(documents.items())) for name, documents in tables.items())


def entry_text(table: str, changes: dict[str, Text | None]) -> str:
    """One journal entry: the table and its changed documents (None: removed)."""
    return "".join(object_chunks([("table", encode(table)), ("changes", object_chunks(changes.items()))]))

