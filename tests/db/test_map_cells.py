"""map_cells, the map's counts the database keeps, on both backends: after every kind of write it
equals a count of the reports made afresh in Python, and the grid it serves equals a brute-force
count for dates and km ranges that cut months and 100 m steps anywhere."""
from __future__ import annotations

import math
import random
import threading
from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, event, func, select, update

from db import map_queries, places_queries
from db.engine import session_scope
from db.map_queries import CELL_LAT, CELL_LON, KM_STEP, Filter
from db.models import MapCell, Report
from qingxi.core import places
from qingxi.ops import generate
from qingxi.reports import public

CATEGORIES = ("bank_litter", "sewage", "illegal_dumping")
STATES = ("submitted", "dispatched", "fixed", "unfixed")


def _add(s, n: int, **fields) -> Report:
    report = Report(**{"code": f"M{n:06d}", "category": "bank_litter", "lon": 121.40, "lat": 29.15,
                       "location_source": "map", "state": "submitted", "river_km": 4.0,
                       "created_at": datetime(2025, 6, 15, 4, tzinfo=timezone.utc), **fields})
    s.add(report)
    return report


def _key(r: Report) -> tuple:
    at = r.created_at.astimezone(timezone.utc)
    return (at.year * 12 + at.month - 1, math.floor(r.lon / CELL_LON), math.floor(r.lat / CELL_LAT), r.state,
            r.category, r.village_id or 0, -1 if r.river_km is None else math.floor(r.river_km / KM_STEP))


def _kept(s) -> Counter:
    s.flush()
    s.expire_all()
    return Counter({(c.month, c.x, c.y, c.state, c.category, c.village_id, c.km10): c.n
                    for c in s.scalars(select(MapCell)) if c.n})


def _fresh(s) -> Counter:
    return Counter(_key(r) for r in s.scalars(select(Report).where(Report.hidden.is_(False))))


def test_every_kind_of_write_keeps_the_counts_exact(session):
    s = session
    places.install_reference(s)
    village = sorted(places_queries.village_ids(s).values())
    reports = [_add(s, i, village_id=village[i % 3], category=CATEGORIES[i % 3],
                    created_at=datetime(2025, 1 + i % 5, 28, 20, tzinfo=timezone.utc), river_km=None if i == 4 else i / 3)
               for i in range(12)]
    s.flush()
    assert _kept(s) == _fresh(s) and sum(_kept(s).values()) == 12
    reports[0].state = "dispatched"                         # the state machine
    reports[1].hidden = True                                # staff hide a report
    reports[2].category = "sewage"                          # recategorised
    reports[3].state, reports[3].merged_into_id = "duplicate", reports[5].id
    s.flush()
    reports[1].hidden = False                               # and show it again
    reports[6].hidden = True
    s.flush()
    # a river re-import moves every report's km and village in one bulk update
    places_queries.relocate_reports(s, [{"id": r.id, "river_km": (r.river_km or 0) + 0.25, "village_id": village[0]}
                              for r in reports])
    s.execute(update(Report).where(Report.id == reports[7].id).values(supporters=Report.supporters + 1))
    s.execute(delete(Report).where(Report.id.in_([reports[8].id, reports[6].id])))  # a hidden one too
    assert _kept(s) == _fresh(s)
    assert sum(_kept(s).values()) == 10


def test_bulk_generation_is_counted_too(engine, tmp_path):
    """`generate` writes with COPY on PostgreSQL and executemany on SQLite, past every service."""
    with session_scope(engine) as s:
        places.install_reference(s)
    made = generate.reports(engine, tmp_path / "photos", 1500, seed=5)
    with session_scope(engine) as s:
        assert _kept(s) == _fresh(s)
        assert sum(_kept(s).values()) == made.reports - s.scalar(select(func.count()).where(Report.hidden.is_(True)))


@pytest.fixture
def spread(session):
    """400 reports over three years, with some exactly on month starts, on km steps and without km."""
    s = session
    places.install_reference(s)
    villages = sorted(places_queries.village_ids(s).values())[:4] + [None]
    rng = random.Random(7)
    start = datetime(2023, 1, 1, tzinfo=timezone.utc)
    for i in range(400):
        if i % 10 == 0:   # on a UTC month start, or on a local (UTC+8) midnight
            created = datetime(2023 + i % 3, 1 + i % 12, 1, tzinfo=timezone.utc) - timedelta(hours=8 * (i % 20 == 0))
        else:
            created = start + timedelta(seconds=rng.randrange(3 * 365 * 86400))
        km = rng.choice([None, round(rng.randrange(0, 100) * KM_STEP, 1), rng.uniform(0, 10)])
        _add(s, i, category=rng.choice(CATEGORIES), state=rng.choice(STATES), village_id=rng.choice(villages),
             created_at=created, river_km=km, lon=121.38 + rng.uniform(0, 0.06), lat=29.12 + rng.uniform(0, 0.05),
             hidden=i % 37 == 0)
    s.flush()
    return s, villages[0]


def _brute(s, f: Filter) -> Counter:
    out = Counter()
    for r in s.scalars(select(Report)):
        km_ok = f.km is None or (r.river_km is not None and f.km[0] <= r.river_km <= f.km[1])
        if (not r.hidden and km_ok and (not f.categories or r.category in f.categories)
                and (not f.states or r.state in f.states) and (f.village_id is None or r.village_id == f.village_id)
                and (f.since is None or r.created_at >= f.since) and (f.until is None or r.created_at < f.until)):
            out[math.floor(r.lon / CELL_LON), math.floor(r.lat / CELL_LAT), r.state] += 1
    return out


def _dates(a: date, b: date) -> dict:
    return {"dates": (a, b)}


@pytest.mark.parametrize("choice", [
    {},                                                            # every year
    _dates(date(2023, 3, 17), date(2025, 8, 4)),                   # cuts two months
    _dates(date(2024, 2, 1), date(2024, 4, 30)),                   # local month starts: UTC is 8 h earlier
    _dates(date(2024, 5, 3), date(2024, 6, 20)),                   # no whole month inside
    _dates(date(2025, 9, 1), date(2025, 9, 1)),                    # one day, from its local midnight
    {"km": (2.3, 7.0)},                                            # on steps (2.3 / 0.1 is 22.999…)
    {"km": (0.35, 0.42)},                                          # inside one step
    {"km": (1.05, 9.95), **_dates(date(2023, 6, 2), date(2025, 1, 31))},
    {"kinds": ["open"], "categories": ["sewage", "illegal_dumping"], "km": (3.0, 8.1)},
    {"village": True, **_dates(date(2023, 1, 1), date(2025, 12, 31))},
])
def test_the_grid_equals_a_brute_force_count(spread, choice):
    s, village = spread
    f = public.map_filter(categories=choice.get("categories", ()), kinds=choice.get("kinds", ()),
                          village_id=village if choice.get("village") else None, dates=choice.get("dates", ()),
                          km=choice.get("km"), reach_km=10.0)
    expected = _brute(s, f)
    assert expected  # every choice matches some reports
    assert Counter({(c["col"], c["row"], c["state"]): c["n"] for c in map_queries.grid(s, f)}) == expected
    assert public.map_reports(s, f, "en").total == expected.total()


def test_the_every_year_view_reads_only_the_kept_counts(spread):
    s, _ = spread
    sent = []
    engine = s.get_bind()

    def grab(_conn, _cursor, statement, *_):
        sent.append(statement)
    event.listen(engine, "before_cursor_execute", grab)
    try:
        map_queries.grid(s, Filter())
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    assert len(sent) == 1 and "map_cells" in sent[0] and "reports" not in sent[0]


def test_two_sessions_moving_reports_between_the_same_cells_at_once_lose_no_count(engine):
    """Opposite moves between two cells, committed by two sessions at the same time, ten rounds."""
    with session_scope(engine) as s:
        places.install_reference(s)
        reports = [_add(s, i, state="submitted" if i % 2 else "fixed") for i in range(20)]
        s.flush()
        ids = [r.id for r in reports]
    errors: list[Exception] = []
    barrier = threading.Barrier(2)

    def flip(mine: list[int], frm: str, to: str) -> None:
        try:
            barrier.wait()
            for _ in range(5):
                with session_scope(engine) as s:
                    for rid in mine:
                        s.execute(update(Report).where(Report.id == rid, Report.state == frm).values(state=to))
                with session_scope(engine) as s:
                    for rid in mine:
                        s.execute(update(Report).where(Report.id == rid, Report.state == to).values(state=frm))
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=flip, args=(ids[1::2], "submitted", "fixed")),
               threading.Thread(target=flip, args=(ids[0::2], "fixed", "submitted"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with session_scope(engine) as s:
        assert _kept(s) == _fresh(s) == Counter({_key(s.get(Report, ids[0])): 10, _key(s.get(Report, ids[1])): 10})
