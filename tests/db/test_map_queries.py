"""The public map's SQL on both backends: filters narrow, hidden reports never leave, the grid adds
up, and a card carries public fields only."""
from datetime import date, datetime, timedelta, timezone

import pytest

from db import map_queries, places_queries
from db.map_queries import Filter
from db.models import Photo, Report
from qingxi.core import places
from qingxi.core.settings import current as settings
from qingxi.reports import public

NOW = datetime(2025, 6, 15, 4, 0, tzinfo=timezone.utc)
PRIVATE = {"code", "reporter_name", "reporter_phone", "description"}


def _add(s, n: int, **fields) -> Report:
    report = Report(**{
        "code": f"T{n:05d}", "category": "bank_litter", "lon": 121.40, "lat": 29.15, "location_source": "map",
        "state": "submitted", "created_at": NOW, "river_km": 4.0, "bank": "left", "reporter_name": "演示村民",
        "reporter_phone": "13800000000", "description": "隔壁老王家的排污口", **fields,
    })
    s.add(report)
    s.flush()
    return report


@pytest.fixture
def world(session):
    """Three visible reports in different categories, states, villages, days and km, and a hidden
    one that would match every filter the first one matches."""
    places.install_reference(session)
    village = places_queries.village_ids(session)
    a_id, b_id = sorted(village.values())[:2]
    reports = {
        "a": _add(session, 1, village_id=a_id, created_at=NOW - timedelta(days=10), river_km=1.0),
        "b": _add(session, 2, category="sewage", state="fixed", village_id=b_id,
                  created_at=NOW - timedelta(days=3), river_km=5.0, supporters=4),
        "c": _add(session, 3, category="dead_fish", state="duplicate", created_at=NOW - timedelta(days=40),
                  river_km=None),
        "hidden": _add(session, 4, village_id=a_id, created_at=NOW - timedelta(days=10), river_km=1.0,
                       hidden=True),
    }
    return session, reports, a_id, b_id


def _names(reports: dict, rows: list[dict]) -> set[str]:
    by_id = {r.id: name for name, r in reports.items()}
    return {by_id[row["id"]] for row in rows}


def test_without_filters_every_visible_report_and_no_private_field(world):
    s, reports, *_ = world
    rows = map_queries.points(s, Filter())
    assert _names(reports, rows) == {"a", "b", "c"}
    assert sum(cell["n"] for cell in map_queries.grid(s, Filter())) == 3
    assert set(rows[0]) == {"id", "category", "state", "lon", "lat", "river_km", "village"}


@pytest.mark.parametrize("pick, expected", [
    (lambda a, b: Filter(categories=("sewage", "dead_fish")), {"b", "c"}),
    (lambda a, b: Filter(states=("fixed",)), {"b"}),
    (lambda a, b: Filter(states=("submitted", "signed")), {"a"}),
    (lambda a, b: Filter(village_id=a), {"a"}),
    (lambda a, b: Filter(village_id=b), {"b"}),
    (lambda a, b: Filter(since=NOW - timedelta(days=11), until=NOW - timedelta(days=9)), {"a"}),
    (lambda a, b: Filter(since=NOW - timedelta(days=10)), {"a", "b"}),  # the start is inclusive
    (lambda a, b: Filter(until=NOW - timedelta(days=10)), {"c"}),       # the end is not
    (lambda a, b: Filter(km=(0.5, 1.0)), {"a"}),                       # no river km: outside any range
    (lambda a, b: Filter(km=(0.0, 9.0), categories=("bank_litter",)), {"a"}),
    (lambda a, b: Filter(categories=("other",)), set()),
])
def test_each_filter_narrows_points_and_grid(world, pick, expected):
    s, reports, a_id, b_id = world
    f = pick(a_id, b_id)
    assert _names(reports, map_queries.points(s, f)) == expected
    assert sum(cell["n"] for cell in map_queries.grid(s, f)) == len(expected)


def test_grid_counts_each_report_in_its_cell(session):
    # cells are 0.002° of longitude by 0.0018° of latitude
    spots = [(121.3051, 29.1551), (121.3059, 29.1559), (121.3151, 29.1651), (-0.0051, -0.0151)]
    for n, (lon, lat) in enumerate(spots):
        _add(session, n, lon=lon, lat=lat)
    _add(session, 9, lon=121.305, lat=29.155, state="fixed")
    _add(session, 10, lon=121.305, lat=29.155, hidden=True)
    cells = {(c["col"], c["row"], c["state"]): c["n"] for c in map_queries.grid(session, Filter())}
    assert cells == {(60652, 16197, "submitted"): 2, (60652, 16197, "fixed"): 1, (60657, 16202, "submitted"): 1,
                     (-3, -9, "submitted"): 1}  # floor, not truncation, below zero


def test_card_has_public_fields_and_the_first_visible_photo(world):
    s, reports, a_id, _ = world
    a = reports["a"]
    a.photos = [Photo(kind="report", sha256=f"{i}" * 64, public_name=f"p{i}.jpg", thumb_name=f"t{i}.jpg",
                      width=1, height=1, hidden=i == 0) for i in range(2)]
    a.photos.append(Photo(kind="after", sha256="9" * 64, public_name="after.jpg", thumb_name="after_t.jpg",
                          width=1, height=1))
    s.flush()
    card = map_queries.card(s, a.id)
    assert not PRIVATE & set(card)
    village = next(v.name for v in places_queries.villages(s) if v.id == a_id)
    assert card == {"id": a.id, "category": "bank_litter", "state": "submitted", "created_at": NOW - timedelta(days=10),
                    "river_km": 1.0, "bank": "left", "supporters": 0, "village": village, "thumb": "t1.jpg"}
    assert map_queries.card(s, reports["c"].id)["thumb"] is None
    assert map_queries.card(s, reports["hidden"].id) is None
    assert map_queries.card(s, 999_999) is None


def test_public_card_keeps_only_a_thumbnail_that_exists(world, monkeypatch, tmp_path):
    s, reports, *_ = world
    monkeypatch.setenv("QINGXI_PHOTO_DIR", str(tmp_path))
    settings.cache_clear()
    try:
        reports["a"].photos = [Photo(kind="report", sha256="1" * 64, public_name="p.jpg", thumb_name="t.jpg",
                                     width=1, height=1)]
        s.flush()
        assert public.card(s, reports["a"].id).thumb is None  # the file is missing
        (tmp_path / "t.jpg").write_bytes(b"jpeg")
        assert public.card(s, reports["a"].id).thumb == tmp_path / "t.jpg"
        assert public.card(s, reports["hidden"].id) is None
    finally:
        settings.cache_clear()


def test_choices_become_a_filter():
    tz = settings().timezone
    f = public.map_filter(["sewage"], ["fixed"], 7, (date(2025, 6, 1), date(2025, 6, 2)), (1.0, 2.5), 8.3)
    assert f.categories == ("sewage",) and f.states == ("fixed",) and f.village_id == 7
    assert f.since == datetime(2025, 6, 1, tzinfo=tz) and f.until == datetime(2025, 6, 3, tzinfo=tz)
    assert f.km == (1.0, 2.5)
    assert set(public.map_filter(kinds=["closed"]).states) == {"unfixed", "duplicate", "referred", "invalid"}
    assert public.map_filter(dates=(date(2025, 6, 1),)).until == datetime(2025, 6, 2, tzinfo=tz)  # one day so far
    assert public.map_filter(km=(0.0, 8.3), reach_km=8.3).km is None  # the whole reach keeps off-reach reports
    assert public.map_filter() == Filter()


def test_many_reports_become_cells_that_add_up(world, monkeypatch):
    s, *_ = world
    monkeypatch.setattr(public, "POINT_LIMIT", 2)
    shown = public.map_reports(s, Filter(), "en")
    assert shown.total == 3 and shown.points == []
    assert sum(cell["n"] for cell in shown.cells) == 3
    assert {cell["kind"] for cell in shown.cells} <= {"open", "fixed", "closed"}
    monkeypatch.setattr(public, "POINT_LIMIT", 3)
    shown = public.map_reports(s, Filter(), "en")
    assert len(shown.points) == 3 and shown.cells == [] and not shown.filtered
