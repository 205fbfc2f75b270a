"""The dashboard's figures on SQLite and PostgreSQL, each checked against the reports inserted:
open counts by state / village / category, the week's and month's flow, clock medians and the
share within target (urgent and normal targets), the overdue list at a frozen now, river-km
buckets, ratings; hidden reports count nowhere."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from db.engine import session_scope
from db.models import Report, Village
from qingxi.reports import dashboard

UTC = timezone.utc
NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)  # a Wednesday; the week began Monday 8 June
H, D = timedelta(hours=1), timedelta(days=1)


@pytest.fixture
def villages(engine) -> tuple[int, int]:
    with session_scope(engine) as s:
        v1 = Village(code="331022000101", name="上村", lon=121.40, lat=29.15)
        v2 = Village(code="331022000102", name="下村", lon=121.42, lat=29.15)
        s.add_all([v1, v2])
        s.flush()
        return v1.id, v2.id


def add(engine, created_at: datetime, state: str = "submitted", **kw) -> int:
    fields = dict(code=uuid.uuid4().hex[:8].upper(), category="bank_litter", lon=121.40, lat=29.15,
                  location_source="gps", state=state, created_at=created_at) | kw
    with session_scope(engine) as s:
        r = Report(**fields)
        s.add(r)
        s.flush()
        return r.id


@pytest.fixture
def world(engine, villages):
    v1, v2 = villages
    ids = dict(
        a=add(engine, NOW - H, village_id=v1, river_km=0.2),
        b=add(engine, NOW - 2 * H, village_id=v1, category="sewage", priority="urgent", river_km=0.4),
        c=add(engine, datetime(2026, 6, 3, 13, tzinfo=UTC), "signed", village_id=v2, river_km=1.7,
              signed_at=datetime(2026, 6, 3, 13, 10, tzinfo=UTC)),
        d=add(engine, datetime(2026, 5, 20, tzinfo=UTC), "dispatched", category="dead_fish",
              signed_at=datetime(2026, 5, 20, 0, 10, tzinfo=UTC), dispatched_at=datetime(2026, 5, 20, 1, tzinfo=UTC)),
        hidden=add(engine, NOW - H, village_id=v1, river_km=0.1, hidden=True, rating="satisfied"),
        hidden_fixed=add(engine, NOW - 3 * H, "fixed", hidden=True, fixed_at=NOW - H),
        e=add(engine, datetime(2026, 6, 2, tzinfo=UTC), "fixed", village_id=v1,
              fixed_at=datetime(2026, 6, 9, tzinfo=UTC), rating="satisfied"),
        f=add(engine, datetime(2026, 5, 25, tzinfo=UTC), "fixed", fixed_at=datetime(2026, 6, 3, tzinfo=UTC),
              rating="basically"),
        g=add(engine, datetime(2026, 6, 8, 1, tzinfo=UTC), "unfixed", closed_at=datetime(2026, 6, 9, tzinfo=UTC),
              rating="unsatisfied"),
        h=add(engine, datetime(2026, 5, 1, tzinfo=UTC), "invalid", closed_at=datetime(2026, 6, 5, tzinfo=UTC)),
        # fixed last month, then reopened: open now, and not "fixed this month"
        r=add(engine, datetime(2026, 4, 1, tzinfo=UTC), "reopened", fixed_at=datetime(2026, 4, 2, tzinfo=UTC),
              signed_at=datetime(2026, 4, 1, 0, 5, tzinfo=UTC), dispatched_at=datetime(2026, 4, 1, 1, tzinfo=UTC),
              called_back_at=datetime(2026, 4, 1, 2, tzinfo=UTC), on_site_at=datetime(2026, 4, 1, 3, tzinfo=UTC),
              river_km=1.5),
    )
    with session_scope(engine) as s:
        return ids, dashboard.overview(s, NOW, UTC)


def test_open_reports_by_state_village_and_category(world):
    _, o = world
    assert o.by_state == {"submitted": 2, "signed": 1, "dispatched": 1, "reopened": 1}
    assert o.open_total == 5
    assert o.by_village == {"上村": 2, "下村": 1, None: 2}
    assert o.by_category == {"bank_litter": 3, "sewage": 1, "dead_fish": 1}


def test_flow_this_week_and_month(world):
    _, o = world
    assert o.week == dashboard.Flow(new=3, fixed=1, closed=1)   # a, b, g · e · g
    assert o.month == dashboard.Flow(new=5, fixed=2, closed=2)  # a, b, c, e, g · e, f · g, h


def test_the_week_begins_on_local_monday(engine):
    shanghai = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 6, 7, 17, 0, tzinfo=UTC)  # Monday 01:00 in Shanghai, still Sunday in UTC
    add(engine, datetime(2026, 6, 7, 16, 30, tzinfo=UTC))
    with session_scope(engine) as s:
        assert dashboard.flow(s, dashboard.week_start(now, shanghai), now).new == 1
        assert dashboard.flow(s, dashboard.week_start(now, UTC), now).new == 2 - 1  # Monday 1 June UTC
        assert dashboard.week_start(now, shanghai) == datetime(2026, 6, 7, 16, tzinfo=UTC)
        assert dashboard.month_start(datetime(2026, 5, 31, 17, tzinfo=UTC), shanghai) == datetime(2026, 5, 31, 16, tzinfo=UTC)


def test_overdue_list_at_a_frozen_now(world):
    ids, o = world
    got = [(x.id, x.overdue) for x in o.overdue]
    assert got == [
        (ids["d"], ("callback", "onsite", "resolve")),
        (ids["c"], ("dispatch", "callback", "onsite")),  # resolve (7 days) still running
        (ids["b"], ("sign", "dispatch", "callback", "onsite")),  # urgent targets
        (ids["a"], ("sign",)),                           # normal: 30 min to sign, 4 h to dispatch
    ]
    # r was reopened, but its first fix (fixed_at) still stops its resolve clock (qingxi.clocks)
    assert ids["r"] not in [x.id for x in o.overdue]
    assert o.overdue[1].village == "下村" and o.overdue[-1].priority == "normal"


def test_open_reports_per_half_km_and_ratings(world):
    _, o = world
    assert o.km == {0.0: 2, 1.5: 2}  # 0.2 and 0.4 · 1.7 and 1.5; the hidden one at 0.1 is left out
    assert o.ratings == {"satisfied": 1, "basically": 1, "unsatisfied": 1}


def test_clock_medians_and_share_within_target_by_week(engine):
    c = datetime(2026, 6, 1, 8, tzinfo=UTC)  # ISO week 2026-W23
    m = timedelta(minutes=1)
    add(engine, c, "fixed", signed_at=c + 10 * m, fixed_at=c + 2 * D)              # sign 600 s: within
    add(engine, c, "invalid", signed_at=c + H, closed_at=c + 3 * H)                # 3600 s: late
    add(engine, c, "signed", signed_at=c + 20 * m)                                 # 1200 s: within
    add(engine, c, "signed", category="sewage", priority="urgent", signed_at=c + timedelta(seconds=20))  # within 30 s
    add(engine, c, "signed", category="sewage", priority="urgent", signed_at=c + m)  # 60 s: late for urgent
    add(engine, c, "submitted", category="dead_fish", priority="urgent")           # never signed: overdue
    add(engine, c, "signed", hidden=True, signed_at=c + timedelta(seconds=5))      # hidden: left out
    add(engine, datetime(2026, 3, 2, tzinfo=UTC), "signed", signed_at=datetime(2026, 3, 3, tzinfo=UTC))  # too old
    add(engine, NOW - 10 * m)                                                      # running: not counted
    with session_scope(engine) as s:
        weeks, rows = dashboard.clock_weeks(s, dashboard.clocks.targets(s), NOW, UTC)
    assert len(weeks) == 8 and weeks[-1] == "2026-W24" and weeks[-2] == "2026-W23" and weeks[0] == "2026-W17"
    by = {(r.week, r.clock): r for r in rows}
    assert len(by) == 8 * 5
    sign = by[("2026-W23", "sign")]
    assert (sign.counted, sign.within, sign.median_seconds, sign.share) == (6, 3, 600, 0.5)
    resolve = by[("2026-W23", "resolve")]  # 2 days and 3 h within 7 days; 4 open reports past due
    assert (resolve.counted, resolve.within, resolve.median_seconds) == (6, 2, (2 * 86_400 + 3 * 3600) / 2)
    dispatch = by[("2026-W23", "dispatch")]  # nobody dispatched; the two ended ones are skipped
    assert (dispatch.counted, dispatch.within, dispatch.median_seconds, dispatch.share) == (4, 0, None, 0.0)
    now_week = by[("2026-W24", "sign")]
    assert (now_week.counted, now_week.share, now_week.median_seconds) == (0, None, None)
    assert all(r.counted == 0 for r in rows if r.week not in ("2026-W23", "2026-W24"))


def test_an_admins_target_is_used(engine):
    from db.models import ClockTarget
    c = datetime(2026, 6, 1, 8, tzinfo=UTC)
    add(engine, c, "signed", signed_at=c + timedelta(minutes=20))
    with session_scope(engine) as s:
        s.add(ClockTarget(priority="normal", clock="sign", seconds=600))
    with session_scope(engine) as s:
        _, rows = dashboard.clock_weeks(s, dashboard.clocks.targets(s), NOW, UTC)
    sign = next(r for r in rows if (r.week, r.clock) == ("2026-W23", "sign"))
    assert (sign.counted, sign.within) == (1, 0)
