"""Hypothesis strategies for the data the issue lists: unicode and whitespace in names, case
variants, empty and long strings, every combination of present / absent / null fields, and
bodies carrying immutable or unknown members.

Names are suffixes only: the kit puts them under the run's prefix, so a generated name can
never reach a model the kit did not create.
"""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import strategies as st

ABSENT = object()

# Letters and digits from several scripts, punctuation, and whitespace (spaces inside and at the
# end of names matter: names compare exactly). No `/` and no control characters.
_NAME_ALPHABET = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs", "Cn"),
    exclude_characters="/",
)
_SHORT_OR_LONG = (  # long, yet prefix + label + padded suffix stays within the 256 of a name
    {"min_size": 0, "max_size": 12},
    {"min_size": 60, "max_size": 100},
)


def name_suffixes(min_size: int = 0) -> st.SearchStrategy[str]:
    """Name endings: empty, short or long, unicode, spaces, NBSP and ideographic space included."""
    whitespace = st.sampled_from([" ", "\u00a0", "\u3000", "  "])
    plain = st.one_of(
        *(st.text(_NAME_ALPHABET, min_size=max(min_size, s["min_size"]), max_size=s["max_size"])
          for s in _SHORT_OR_LONG)
    )
    padded = st.tuples(plain, whitespace, plain).map("".join)
    return st.one_of(plain, padded).filter(lambda text: len(text) >= min_size)


def field_value(field: str) -> st.SearchStrategy[str]:
    """Values for an updatable field: name suffixes for the name, free text for the others."""
    return name_suffixes() if field == "name" else field_text()


def field_text() -> st.SearchStrategy[str]:
    """Values for summary and tags: empty, whitespace, unicode, long."""
    return st.one_of(
        st.just(""),
        st.sampled_from([" ", "\t", "a,b,c", "Ünïcödé ✓"]),
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=200, max_size=400),
    )


def tri_state(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A field that is absent (`ABSENT`), null, or a value."""
    return st.one_of(st.just(ABSENT), st.none(), values)


def immutable_examples(recipe_configuration: dict[str, Any]) -> dict[str, Any]:
    """One value per immutable member, differing from any stored one."""
    return {
        "id": str(uuid.UUID(int=1)),
        "dtype": "ck-other-type",
        "configuration": {**recipe_configuration, "ck_changed": True},
        "created_at": "2001-02-03T04:05:06Z",
        "connected_endpoints": [{"id": str(uuid.UUID(int=2)), "name": "ck endpoint", "slug": "ck-endpoint"}],
    }


def immutable_members(recipe_configuration: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A non-empty set of immutable members with values that differ from any stored ones."""
    values = {field: st.just(value) for field, value in immutable_examples(recipe_configuration).items()}
    values["dtype"] = st.sampled_from(["ck-other-type", "openai", "vllm"])
    values["created_at"] = st.sampled_from(["2001-02-03T04:05:06Z", "2099-12-31T23:59:59+00:00"])
    return st.fixed_dictionaries({}, optional=values).filter(bool)


def unknown_members() -> st.SearchStrategy[dict[str, Any]]:
    """Members the contract does not know, which a deployment must ignore."""
    return st.dictionaries(
        st.sampled_from(["colour", "ck_unknown", "Name", "SUMMARY", "owner"]),
        st.one_of(st.none(), st.integers(), st.text(max_size=5)),
        max_size=2,
    )


def drop_absent(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if value is not ABSENT}
