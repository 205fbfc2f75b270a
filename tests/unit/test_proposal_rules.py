"""The pure rules of deputies' proposals: working days, deadlines, roll-up, days left."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from qingxi.proposals import (
    add_working_days,
    days_left,
    default_deadline,
    extend,
    is_overdue,
    is_tracking,
    return_open_until,
    rollup,
    working_days_after,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("start, n, expected", [
    (date(2026, 6, 1), 7, date(2026, 6, 10)),   # Monday + 7 working days = Wednesday of the next week
    (date(2026, 6, 5), 1, date(2026, 6, 8)),    # Friday + 1 = Monday: the weekend does not count
    (date(2026, 6, 6), 1, date(2026, 6, 8)),    # assigned on a Saturday
    (date(2026, 6, 5), 7, date(2026, 6, 16)),
    (date(2026, 6, 1), 0, date(2026, 6, 1)),
])
def test_working_days_skip_weekends(start, n, expected):
    assert add_working_days(start, n) == expected
    assert working_days_after(start, expected) == n


def test_the_return_window_is_seven_working_days_in_local_time():
    # 2026-06-04 20:00 UTC is already Friday 04:00 in Shanghai: the window counts from Friday.
    assert return_open_until(datetime(2026, 6, 4, 8, 0, tzinfo=timezone.utc), SHANGHAI) == date(2026, 6, 15)
    assert return_open_until(datetime(2026, 6, 4, 20, 0, tzinfo=timezone.utc), SHANGHAI) == date(2026, 6, 16)


@pytest.mark.parametrize("assigned, expected", [
    (datetime(2026, 6, 1, 8, tzinfo=timezone.utc), datetime(2026, 9, 1, 8, tzinfo=timezone.utc)),
    (datetime(2026, 11, 30, 8, tzinfo=timezone.utc), datetime(2027, 2, 28, 8, tzinfo=timezone.utc)),  # month end clamps
    (datetime(2027, 11, 30, 8, tzinfo=timezone.utc), datetime(2028, 2, 29, 8, tzinfo=timezone.utc)),  # leap year
])
def test_the_deadline_is_three_calendar_months_after_assignment(assigned, expected):
    assert default_deadline(assigned) == expected


def test_an_extension_adds_calendar_months():
    assert extend(datetime(2026, 9, 1, tzinfo=timezone.utc), 3) == datetime(2026, 12, 1, tzinfo=timezone.utc)
    assert extend(datetime(2026, 8, 31, tzinfo=timezone.utc), 1) == datetime(2026, 9, 30, tzinfo=timezone.utc)


def test_weighted_roll_up():
    assert rollup([]) is None
    assert rollup([(1, 100)]) == 100
    assert rollup([(1, 100), (3, 0)]) == 25
    assert rollup([(2, 50), (2, 100), (1, 0)]) == pytest.approx(60)


def test_days_left_and_overdue_by_local_day():
    deadline = datetime(2026, 9, 1, 8, tzinfo=timezone.utc)
    assert days_left(deadline, datetime(2026, 8, 30, 8, tzinfo=timezone.utc), SHANGHAI) == 2
    assert days_left(deadline, datetime(2026, 9, 3, 8, tzinfo=timezone.utc), SHANGHAI) == -2
    assert days_left(None, deadline) is None
    later = datetime(2026, 9, 1, 8, 1, tzinfo=timezone.utc)
    assert is_overdue("handling", deadline, later)
    assert not is_overdue("handling", deadline, deadline)
    assert not is_overdue("answered", deadline, later)  # answered in time or late: no longer "overdue"
    assert not is_overdue("submitted", None, later)


def test_b_and_c_stay_tracked_until_a():
    assert is_tracking("published", "B") and is_tracking("evaluated", "C")
    assert not is_tracking("published", "A") and not is_tracking("published", "D")
    assert not is_tracking("answered", "B")  # the deputy has not evaluated it yet
