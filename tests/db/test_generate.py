"""The synthetic load: realistic enough to measure with, consistent enough for every page to read."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from db.engine import session_scope
from db.models import Photo, Report, StatusChange, utcnow
from qingxi import generate, geography, intake, tracking
from qingxi.reports import CATEGORIES, MILESTONE, OPEN_STATES, State
from tests.unit.photo_samples import jpeg


def test_generated_reports_cover_the_states_and_agree_with_their_histories(engine, tmp_path):
    with session_scope(engine) as s:
        geography.install_reference(s)
    made = generate.reports(engine, tmp_path / "photos", 3000, seed=7)
    assert made.reports == 3000 and made.photos == 3000 and made.status_changes > 3000

    with session_scope(engine) as s:
        reports = s.scalars(select(Report)).all()
        last = dict(s.execute(select(StatusChange.report_id, StatusChange.to_state)
                              .order_by(StatusChange.report_id, StatusChange.at, StatusChange.id)).all())
        photo_files = set(s.scalars(select(Photo.public_name)))
        reach_km = geography.model(s).length_m / 1000
    assert {r.category for r in reports} == set(CATEGORIES)
    assert {State.SUBMITTED.value, State.IN_PROGRESS.value, State.FIXED.value, State.DUPLICATE.value} <= {
        r.state for r in reports}
    assert len({r.code for r in reports}) == 3000
    now = utcnow()
    for r in reports:
        assert last[r.id] == r.state  # the history ends where the report stands
        assert now - timedelta(days=5 * 366) <= r.created_at <= now
        assert r.reporter_phone is None or r.visibility != "anonymous"
        assert 0 <= r.river_km <= reach_km and r.village_id is not None
        for state, field in MILESTONE.items():
            if r.state == state.value:
                assert getattr(r, field) is not None and getattr(r, field) >= r.created_at
    old_open = sum(r.state in OPEN_STATES and r.created_at < now - timedelta(days=60) for r in reports)
    assert old_open < 0.05 * 3000  # an office's backlog, not a random mix
    assert all((tmp_path / "photos" / name).is_file() for name in photo_files)


def test_after_generating_the_portal_files_and_follows_reports_as_usual(engine, tmp_path):
    with session_scope(engine) as s:
        geography.install_reference(s)
        where = intake.place(s, 121.398, 29.1492, "gps")
    generate.reports(engine, tmp_path / "photos", 500)
    code = intake.submit(engine, intake.Submission([jpeg((300, 200))], "bank_litter", where), tmp_path / "photos").code
    assert tracking.status(engine, code).state == State.SUBMITTED.value
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Report)) == 501
