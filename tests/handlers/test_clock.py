"""Timestamps the mock writes: RFC 3339 in UTC with microseconds and ``Z``, never moving backwards."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from handlers import clock

STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")


@pytest.mark.parametrize("moment, expected", [
    (datetime(2024, 3, 15, 10, 30, tzinfo=UTC), "2024-03-15T10:30:00.000000Z"),
    (datetime(2024, 3, 15, 10, 30, 0, 5, tzinfo=timezone(timedelta(hours=5))), "2024-03-15T05:30:00.000005Z"),
    (datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-1))), "2025-01-01T00:59:59.999999Z"),
])
def test_a_stamp_is_utc_with_microseconds_and_z(moment, expected):
    assert clock.format_stamp(moment) == expected
    assert clock.parse(expected) == moment


def test_now_is_such_a_stamp():
    assert STAMP.fullmatch(clock.now())


def test_after_a_stamp_in_the_future_is_just_after_it():
    future = "2999-01-01T00:00:00.000000Z"
    assert clock.after("2024-03-15T10:30:00Z", future) == "2999-01-01T00:00:00.000001Z"
