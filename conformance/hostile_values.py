"""Hostile but valid JSON strings, and bodies that carry them as raw JSON escapes.

A JSON text may hold any code point as an escape, lone surrogates included (`"\\ud800"` is
valid JSON, though no UTF-8 text can hold it). Such values crashed the real server: a plain-text
500 on create, and a stored configuration that made every later list of the tenant a 500. The
bodies here are serialised with every non-ASCII character escaped, so a lone surrogate is sent
as the six characters `\\ud800` and a pair as the escapes of the emoji it encodes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st


@dataclass(frozen=True)
class Hostile:
    label: str  # what the value is, for the report
    value: str


# Values for any string field; names get them after the run's prefix, so none is "/"-bearing.
TEXTS = (
    Hostile("a lone high surrogate", "\ud800"),
    Hostile("a lone low surrogate between letters", "a\udfffb"),
    Hostile("a surrogate pair (an emoji written as two escapes)", "\ud83d\ude00"),
    Hostile("NUL", "a\x00b"),
    Hostile("every other C0 control", "".join(chr(code) for code in range(1, 32))),
    Hostile("DEL and C1 controls", "\x7f\x80\x9f"),
    Hostile("emoji with a skin tone and zero-width joiners", "👩🏽\u200d💻 🏳️\u200d🌈"),
    Hostile("combining marks", "e\u0301\u0308 n\u0303"),
    Hostile("right-to-left override and marks", "\u202eabc\u202c \u200f\u200e"),
    Hostile("a byte-order mark and zero-width characters", "\ufeff\u200b\u2060"),
    Hostile("a percent-encoded slash", "a%2Fb"),
    Hostile("dots inside", "a..b"),
    Hostile("leading dots", "..x"),
    Hostile("percent-encoded dots", "%2e%2e"),
    Hostile("a backslash", "a\\b"),
)


def long_values(room: int) -> tuple[Hostile, ...]:
    """The longest value the bound leaves room for, and one code point more."""
    return (
        Hostile(f"the longest allowed ({room} code points)", "é" * room),
        Hostile(f"one code point over the bound ({room + 1})", "é" * (room + 1)),
    )


def generated_texts() -> st.SearchStrategy[str]:
    """Short strings drawn from every code point, surrogates and controls included."""
    return st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=12)


def raw_json(body: Any) -> bytes:
    """`body` as JSON bytes with every non-ASCII character written as an escape."""
    return json.dumps(body, ensure_ascii=True).encode("ascii")
