"""The home page's counts on SQLite and PostgreSQL: "fixed this month" is Sanmen's month, not UTC's."""
from datetime import datetime, timezone

from db.engine import session_scope
from db.models import Report, StatusChange
from qingxi.reports import public


def fixed_at(people, code: str, at: datetime) -> None:
    with session_scope(people.engine) as s:
        r = Report(code=code, category="bank_litter", lon=121.398, lat=29.149, location_source="gps", state="fixed",
                   village_id=people.village, fixed_at=at, created_at=at)
        r.history = [StatusChange(to_state="submitted", at=at)]
        s.add(r)


def test_fixed_this_month_counts_the_local_month(people):
    fixed_at(people, "LOCAL1", datetime(2026, 10, 31, 20, 0, tzinfo=timezone.utc))  # 1 Nov 04:00 in Sanmen
    fixed_at(people, "LOCAL2", datetime(2026, 10, 31, 15, 0, tzinfo=timezone.utc))  # 31 Oct 23:00 in Sanmen
    with session_scope(people.engine) as s:
        assert public.counts(s, datetime(2026, 11, 15, tzinfo=timezone.utc))["fixed_month"] == 1
        # The first hours of 1 November in Sanmen are still October in UTC: the month has begun here.
        assert public.counts(s, datetime(2026, 10, 31, 16, 30, tzinfo=timezone.utc))["fixed_month"] == 1
