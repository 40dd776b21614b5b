"""The text-level prechecks that spare most bodies two walks (handlers.validation) never spare a
body that needs one: a body nested deeper than the limit, or holding a lone surrogate, is still
found, however it was written (escaped or not, ASCII or not, brackets inside strings or not)."""

from __future__ import annotations

import json

from hypothesis import example, given
from hypothesis import strategies as st

from handlers.problems import lone_surrogates
from handlers.validation import MAX_DEPTH, _depth, _may_hold_surrogates, _may_nest_too_deeply

TRICKY = ["\ud800", "\udfff", "\U0001f600", "é", "\x00", "[", "{", "\\", "u", '"', "a"]  # surrogates, escapes, brackets
TEXTS = st.text(st.sampled_from(TRICKY) | st.characters(codec="utf-8"), max_size=8)
VALUES = st.recursive(st.none() | st.integers() | TEXTS,
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXTS, inner, max_size=3),
                      max_leaves=10)


def _nested(value, levels: int, in_list: bool):
    for _ in range(levels):
        value = [value] if in_list else {"k": value}
    return value


@given(VALUES, st.integers(0, MAX_DEPTH + 3), st.booleans(), st.booleans())
@example("\ud800", 0, False, False)
@example({"[[[[": "\udc00"}, MAX_DEPTH + 1, True, True)
def test_no_body_that_needs_a_walk_is_spared_one(value, levels, in_list, ascii_only):
    body = _nested(value, levels, in_list)
    text = json.dumps(body, ensure_ascii=ascii_only)

    if _depth(json.loads(text)) > MAX_DEPTH:
        assert _may_nest_too_deeply(text)
    if lone_surrogates(json.loads(text), ["body"]):
        assert _may_hold_surrogates(text)


def test_a_plain_body_is_spared_both_walks():
    text = json.dumps({"summary": "GPT-4 model [beta] {support}", "tags": "openai,gpt-4", "configuration": {"x": [1]}})

    assert not _may_nest_too_deeply(text) and not _may_hold_surrogates(text)
