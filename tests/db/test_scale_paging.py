"""At scale the desk, the search and the dashboard come from SQL: pages of the desk queue and of
the staff search are disjoint, complete and in the right order with the right totals, and the
SQL clock figures (medians included) agree with a plain Python reference over the same rows.
Both backends, on generated reports."""
from __future__ import annotations

import statistics
from datetime import timedelta, timezone

import pytest
from sqlalchemy import select

from db.engine import session_scope
from db.models import Report, utcnow
from db.triage_queries import QueueFilter, SearchFilter
from qingxi.ops import generate
from qingxi.reports import OPEN_STATES, Kind, clocks, dashboard, kind_of, triage
from tests.support.people import make_people

UTC = timezone.utc
OPEN = {s.value for s in OPEN_STATES}


@pytest.fixture(scope="module")
def world(module_engine, tmp_path_factory):
    """1,500 generated reports, some of a handler's unit, a few hidden; the tests only read them."""
    engine = module_engine
    people = make_people(engine)  # the module's database, so not the (per-test) `people` fixture
    generate.reports(engine, tmp_path_factory.mktemp("paging") / "photos", 1500, seed=5)
    with session_scope(engine) as s:
        s.query(Report).filter(Report.id % 7 == 0).update({Report.unit_id: people.unit}, synchronize_session=False)
        s.query(Report).filter(Report.id % 97 == 0).update({Report.hidden: True}, synchronize_session=False)
    return engine, {"staff": people.staff, "hand": people.handler}


def _all_pages(fetch, size):
    pages, page = [], 1
    while True:
        got = fetch(page, size)
        pages.append(got)
        if page >= got.pages:
            return pages
        page += 1


def test_desk_pages_are_disjoint_complete_and_ordered_by_the_first_clock_to_run_out(world):
    engine, users = world
    now = utcnow()
    with session_scope(engine) as s:
        targets = clocks.targets(s)
        reference = sorted(
            (r for r in s.scalars(select(Report)) if r.state in OPEN and not r.hidden),
            key=lambda r: ((due := clocks.next_due(r, targets, now)) is None, due or r.created_at, r.created_at, r.id))
        pages = _all_pages(lambda p, n: triage.queue(s, users["staff"], now=now, page=p, page_size=n), 13)
    ids = [i.id for p in pages for i in p.items]
    assert len(reference) > 30  # several pages
    assert ids == [r.id for r in reference]  # disjoint, complete, in order
    assert all(p.total == len(reference) and len(p.items) <= 13 for p in pages)
    assert pages[0].pages == len(pages) == -(-len(reference) // 13)
    assert sum(pages[0].counts.values()) == len(reference)
    with session_scope(engine) as s:
        past = triage.queue(s, users["staff"], now=now, page=len(pages) + 1, page_size=13)
    assert past.items == [] and past.total == len(reference)


def test_desk_pages_keep_the_filters_and_a_handlers_scope(world):
    engine, users = world
    with session_scope(engine) as s:
        hand = users["hand"]
        mine = {r.id for r in s.scalars(select(Report).where(Report.unit_id == hand.unit_id))
                if r.state in OPEN and not r.hidden}
        pages = _all_pages(lambda p, n: triage.queue(s, hand, page=p, page_size=5), 5)
        state = next(iter(mine and {s.get(Report, i).state for i in mine}))
        only = _all_pages(lambda p, n: triage.queue(s, users["staff"], QueueFilter(state=state), page=p, page_size=n), 4)
        expected = {r.id for r in s.scalars(select(Report).where(Report.state == state, Report.hidden.is_(False)))}
    got = [i.id for p in pages for i in p.items]
    assert mine and len(got) == len(set(got)) and set(got) == mine and pages[0].total == len(mine)
    assert {i.id for p in only for i in p.items} == expected and only[0].total == len(expected)


def test_search_by_code_ignores_case_and_spaces_and_finds_exactly_one(world):
    engine, users = world
    with session_scope(engine) as s:
        hidden = s.scalars(select(Report).where(Report.hidden.is_(True))).first()
        found = triage.search(s, users["staff"], SearchFilter(code=f"  {hidden.code[:3].lower()} {hidden.code[3:]} "))
        assert found.total == 1 and [r["id"] for r in found.rows] == [hidden.id] and found.rows[0]["hidden"]
        assert triage.search(s, users["staff"], SearchFilter(code="ZZZZZZ")).total == 0
        other = s.scalars(select(Report).where(Report.unit_id.is_(None))).first()
        assert triage.search(s, users["hand"], SearchFilter(code=other.code)).total == 0  # not the handler's unit


def test_search_pages_by_village_category_state_and_dates(world):
    engine, users = world
    with session_scope(engine) as s:
        everything = list(s.scalars(select(Report)))
        village = statistics.mode(r.village_id for r in everything)
        since, until = utcnow() - timedelta(days=900), utcnow() - timedelta(days=30)
        f = SearchFilter(village_id=village, since=since, until=until)
        pages = _all_pages(lambda p, n: triage.search(s, users["staff"], f, page=p, page_size=n), 6)
        fixed = triage.search(s, users["staff"], SearchFilter(category="bank_litter", state="fixed"), page_size=200)
    expected = sorted((r for r in everything if r.village_id == village and since <= r.created_at < until),
                      key=lambda r: (r.created_at, r.id), reverse=True)
    got = [row["id"] for p in pages for row in p.rows]
    assert len(expected) > 12 and got == [r.id for r in expected]  # newest first, every one once
    assert all(p.total == len(expected) for p in pages)
    assert fixed.total == sum(r.category == "bank_litter" and r.state == "fixed" for r in everything)


def _python_clock_weeks(reports, targets, now, tz, weeks=dashboard.WEEKS):
    """The reference: what the dashboard computed in Python before it moved into SQL."""
    first = dashboard.week_start(now, tz) - timedelta(weeks=weeks - 1)
    labels = [dashboard.iso_week(first + timedelta(weeks=i), tz) for i in range(weeks)]
    out = {}
    for clock in clocks.CLOCKS:
        stopped = {w: [] for w in labels}
        counted, within = dict.fromkeys(labels, 0), dict.fromkeys(labels, 0)
        for r in reports:
            week = dashboard.iso_week(r.created_at, tz)
            if r.hidden or r.created_at < first or week not in counted:
                continue
            target = (targets.get(r.priority) or targets["normal"])[clock]
            done = next((v for f in clocks.MILESTONES[clock] if (v := getattr(r, f)) is not None), None)
            if done is not None:
                seconds = (done - r.created_at).total_seconds()
                stopped[week].append(seconds)
                counted[week] += 1
                within[week] += seconds <= target
            elif kind_of(r.state) is Kind.OPEN and now > r.created_at + timedelta(seconds=target):
                counted[week] += 1
        for w in labels:
            out[w, clock] = (counted[w], within[w], statistics.median(stopped[w]) if stopped[w] else None)
    return out


@pytest.mark.parametrize("weeks_ago", [0, 30])
def test_sql_clock_figures_and_medians_match_a_python_reference(world, weeks_ago):
    engine, _ = world
    now = utcnow() - timedelta(weeks=weeks_ago)
    with session_scope(engine) as s:
        targets = clocks.targets(s)
        _, rows = dashboard.clock_weeks(s, targets, now, UTC, weeks=26)
        reference = _python_clock_weeks(list(s.scalars(select(Report))), targets, now, UTC, weeks=26)
    got = {(r.week, r.clock): (r.counted, r.within, r.median_seconds) for r in rows}
    assert got.keys() == reference.keys()
    assert sum(v[0] for v in reference.values()) > 50  # enough to mean something
    assert sum(v[2] is not None for v in reference.values()) > 20  # medians of many (week, clock)
    for key, (counted, within, median) in reference.items():
        g = got[key]
        assert (g[0], g[1]) == (counted, within), key
        assert (g[2] is None) == (median is None) and (median is None or abs(g[2] - median) < 0.01), key


def test_the_overdue_count_and_page_match_a_python_reference(world):
    engine, _ = world
    now = utcnow()
    with session_scope(engine) as s:
        targets = clocks.targets(s)
        late = sorted(((min(c.due_at for c in cs if c.state == "overdue"), r.id)
                       for r in s.scalars(select(Report)) if not r.hidden
                       for cs in [clocks.status(r, targets, now)] if any(c.state == "overdue" for c in cs)))
        total = dashboard.overdue_count(s, targets, now)
        first = dashboard.overdue(s, targets, now, limit=10)
        second = dashboard.overdue(s, targets, now, limit=10, offset=10)
    assert total == len(late) > 20
    assert [o.id for o in first + second] == [i for _, i in late[:20]]
    assert [o.due_at for o in first] == [d for d, _ in late[:10]]


def test_the_query_log_has_one_line_per_statement(tmp_path, monkeypatch, db_url):
    from db.engine import make_engine
    log = tmp_path / "queries.log"
    monkeypatch.setenv("QINGXI_QUERY_LOG", str(log))
    eng = make_engine(db_url)
    with eng.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
        conn.exec_driver_sql("SELECT 2 +\n 2")
    eng.dispose()
    lines = log.read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[1] for line in lines][-2:] == ["SELECT 1", "SELECT 2 + 2"]
    assert all(float(line.split("\t")[0]) >= 0 for line in lines)


