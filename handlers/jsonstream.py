"""Reading a large JSON file one document at a time.

``json.loads`` of 100,000 models builds every model's objects before the first is checked; the
few objects kept from each (its name, its text) then end up scattered among them, and the
allocator can hand none of that memory back. Read one document at a time, each document's
objects are freed before the next is read and their memory is reused for it.

Any text that is not of the expected shape raises ``ValueError``: the caller parses it whole
for the precise message (line and column).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from json.decoder import scanstring
from json.scanner import make_scanner
from typing import Any, TypeVar

Item = TypeVar("Item")
_scan = make_scanner(json.JSONDecoder())  # json's C scanner: one value at a position
_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _value_at(text: str, position: int) -> tuple[Any, int]:
    try:
        return _scan(text, position)
    except StopIteration as stop:
        raise ValueError(f"expected a value at {stop.value}") from None


class _Reader:
    """A position in a JSON text, moved forward one token or one value at a time."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def _skip(self) -> None:
        self.position = _WHITESPACE.match(self.text, self.position).end()

    def take(self, char: str) -> bool:
        self._skip()
        if self.text.startswith(char, self.position):
            self.position += 1
            return True
        return False

    def need(self, char: str) -> None:
        if not self.take(char):
            raise ValueError(f"expected {char!r} at {self.position}")

    def value(self) -> Any:
        self._skip()
        value, self.position = _value_at(self.text, self.position)
        return value

    def key(self) -> str:
        self.need('"')
        key, self.position = scanstring(self.text, self.position)
        self.need(":")
        return key

    def sequence(self, opening: str, closing: str, item: Callable[[], Item]) -> Iterator[Item]:
        self.need(opening)
        if self.take(closing):
            return
        while True:
            yield item()
            if not self.take(","):
                self.need(closing)
                return

    def end(self) -> None:
        self._skip()
        if self.position != len(self.text):
            raise ValueError(f"extra data at {self.position}")


def array_items(text: str) -> Iterator[Any]:
    """The items of a JSON array, parsed one by one (the loop of :meth:`_Reader.sequence`, inlined:
    it runs once per model)."""
    skip = _WHITESPACE.match
    position = skip(text).end()
    if not text.startswith("[", position):
        raise ValueError(f"expected '[' at {position}")
    position = skip(text, position + 1).end()
    if text.startswith("]", position):
        position += 1
    else:
        while True:
            value, position = _value_at(text, position)
            yield value
            position = skip(text, position).end()
            if text.startswith(",", position):
                position = skip(text, position + 1).end()
            elif text.startswith("]", position):
                position += 1
                break
            else:
                raise ValueError(f"expected ',' or ']' at {position}")
    if skip(text, position).end() != len(text):
        raise ValueError(f"extra data at {position}")


def table_documents(text: str) -> Iterator[tuple[str, Iterator[tuple[str, Any]]]]:
    """For ``{table: {id: document}}``: each table's name and its (id, document) pairs, parsed one
    by one. Each table's pairs must be read to the end before the next table is asked for."""
    reader = _Reader(text)

    def document() -> tuple[str, Any]:
        return reader.key(), reader.value()

    def table() -> tuple[str, Iterator[tuple[str, Any]]]:
        return reader.key(), reader.sequence("{", "}", document)

    yield from reader.sequence("{", "}", table)
    reader.end()
