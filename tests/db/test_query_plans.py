"""The scale indexes are the ones the real queries use: a few thousand generated reports, ANALYZE,
then the plan of the statement each service actually sends (captured as it runs) must read the
reports table through one of our indexes, never a full scan of the table.

Both backends. SQLite: EXPLAIN QUERY PLAN (`SEARCH reports USING … INDEX` or a covering-index
scan). PostgreSQL: EXPLAIN (FORMAT JSON), every node on `reports` an index (only) or bitmap
index scan of a named index. At a few thousand rows PostgreSQL may rightly prefer reading the
whole small table, so its sequential scan is priced out (SET LOCAL enable_seqscan = off): what is
checked is that an index serves the query's conditions; that the planner picks it by itself at
a million rows is measured in bench/scale.py.
"""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import event, select, text

from db import dashboard_queries
from db.engine import session_scope
from db.models import User, utcnow
from db.triage_queries import QueueFilter, SearchFilter
from qingxi.core import places
from qingxi.ops import generate
from qingxi.reports import OPEN_STATES, dashboard, public, triage

OURS = {"ix_reports_work", "ix_reports_created_clocks", "ix_reports_fixed_at", "ix_reports_closed_at",
        "ix_reports_map", "ix_reports_map_km", "ix_reports_village_created", "ix_reports_category_created",
        "ix_reports_rating", "uq_reports_code", "pk_reports"}
OPEN = [s.value for s in OPEN_STATES]


@pytest.fixture(scope="module")
def loaded(module_engine, tmp_path_factory):
    """One database per backend with 3,000 generated reports, analysed; shared by this module."""
    engine = module_engine
    with session_scope(engine) as s:
        places.install_reference(s)
        s.add(User(username="plan-staff", display_name="Plan", role="staff"))
    generate.reports(engine, tmp_path_factory.mktemp("plans") / "photos", 3000, seed=11)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return engine


def _captured(engine, run, marker: str) -> tuple[str, object]:
    """The first statement `run` sends that contains `marker`, with its parameters."""
    seen = []

    def grab(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    found = [(s, p) for s, p in seen if marker in s and not s.lstrip().upper().startswith("EXPLAIN")]
    assert found, f"no statement containing {marker!r}"
    return found[0]


def _indexes_used(engine, statement: str, parameters) -> set[str]:
    """Index names the plan reads `reports` through; fails on a full scan of reports."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            used = set()
            for *_, detail in rows:
                words = detail.split()
                if len(words) > 1 and words[0] in ("SCAN", "SEARCH") and words[1] == "reports":
                    # SCAN walks all of reports (or all of an index); SEARCH narrows by index conditions
                    assert words[0] == "SEARCH" and "INDEX" in words, f"full scan of reports: {detail}"
                    used.add(words[words.index("INDEX") + 1])
            return used
        with conn.begin():
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            plan = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).scalar()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    used = set()

    def walk(node):
        if node.get("Relation Name") == "reports" or node.get("Node Type") == "Bitmap Index Scan":
            assert node["Node Type"] in ("Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Bitmap Index Scan"), (
                f"full scan of reports: {node['Node Type']}")
            if "Index Name" in node:  # an index read without conditions is a full scan of it
                assert "Index Cond" in node, f"full scan of {node['Index Name']}"
                used.add(node["Index Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return used


def _staff(engine):
    with session_scope(engine) as s:
        return s.scalars(select(User).where(User.username == "plan-staff")).one()


def test_the_desk_queue_reads_the_open_reports_index(loaded):
    staff = _staff(loaded)

    def run():
        with session_scope(loaded) as s:
            assert triage.queue(s, staff, page=2).items
    used = _indexes_used(loaded, *_captured(loaded, run, "ORDER BY"))
    assert used and used <= OURS and "ix_reports_work" in used


def test_the_desk_queue_with_a_filter_still_reads_an_index(loaded):
    staff = _staff(loaded)

    def run():
        with session_scope(loaded) as s:
            triage.queue(s, staff, QueueFilter(category="sewage"))
    used = _indexes_used(loaded, *_captured(loaded, run, "ORDER BY"))
    assert used and used <= OURS | {"ix_reports_category", "ix_reports_state_created"}


def test_the_search_by_tracking_code_reads_the_code_index(loaded):
    staff = _staff(loaded)
    with session_scope(loaded) as s:
        code = s.scalar(text("SELECT code FROM reports ORDER BY id LIMIT 1"))

    def run():
        with session_scope(loaded) as s:
            assert triage.search(s, staff, SearchFilter(code=code.lower())).total == 1
    # the UNIQUE constraint's index: named uq_reports_code on PostgreSQL, automatic on SQLite
    unique = "sqlite_autoindex_reports_1" if loaded.dialect.name == "sqlite" else "uq_reports_code"
    for marker in ("count(*)", "ORDER BY"):
        assert _indexes_used(loaded, *_captured(loaded, run, marker)) == {unique}


def test_the_search_by_village_and_dates_reads_an_index(loaded):
    staff = _staff(loaded)
    since = utcnow() - timedelta(days=60)

    def run():
        with session_scope(loaded) as s:
            triage.search(s, staff, SearchFilter(village_id=3, since=since))
    used = _indexes_used(loaded, *_captured(loaded, run, "ORDER BY"))
    assert used and used <= OURS | {"ix_reports_village_id", "ix_reports_created_at"}


def test_the_maps_filtered_count_reads_the_map_index(loaded):
    f = public.map_filter(dates=public.default_dates(), categories=["bank_litter"], reach_km=9)

    def run():
        with session_scope(loaded) as s:
            public.map_reports(s, f, "zh", f)
    used = _indexes_used(loaded, *_captured(loaded, run, "count(*)"))
    # the map's own index, or (SQLite, for a category) category + created time: both by conditions
    assert used and used <= {"ix_reports_map", "ix_reports_category_created"}


def test_the_maps_km_strips_over_every_year_read_the_km_index(loaded):
    """Every year in a km range: map_cells answers the whole 100 m steps, the two strips at the
    ends come from reports, each a range of an index."""
    f = public.map_filter(km=(2.35, 7.15), reach_km=9)

    def run():
        with session_scope(loaded) as s:
            public.map_reports(s, f, "zh")
    for marker in ("reports.river_km <", "reports.river_km >"):
        used = _indexes_used(loaded, *_captured(loaded, run, marker))
        assert used == {"ix_reports_map_km"}


def test_the_dashboards_open_state_aggregates_read_the_open_reports_index(loaded):
    for marker, fn in (("GROUP BY reports.state", dashboard_queries.count_by_state),
                       ("GROUP BY reports.category", dashboard_queries.count_by_category),
                       ("GROUP BY reports.village_id", dashboard_queries.count_by_village)):
        def run(fn=fn):
            with session_scope(loaded) as s:
                fn(s, OPEN)
        assert _indexes_used(loaded, *_captured(loaded, run, marker)) == {"ix_reports_work"}, marker

    def overdue():
        with session_scope(loaded) as s:
            dashboard.overdue_count(s, dashboard.clocks.targets(s), utcnow())
    assert _indexes_used(loaded, *_captured(loaded, overdue, "count(*)")) == {"ix_reports_work"}
