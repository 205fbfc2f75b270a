"""The synthetic load: realistic enough to measure with, consistent enough for every page to read."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from db.engine import session_scope
from db.models import Cleanup, CleanupReport, Photo, Report, Signup, StatusChange, utcnow
from qingxi import accounts, cleanups, proposals
from qingxi.core import places
from qingxi.ops import generate
from qingxi.reports import CATEGORIES, MILESTONE, OPEN_STATES, State, intake, track
from tests.support.photo_samples import jpeg


def test_generated_reports_cover_the_states_and_agree_with_their_histories(engine, tmp_path):
    with session_scope(engine) as s:
        places.install_reference(s)
    made = generate.reports(engine, tmp_path / "photos", 3000, seed=7)
    assert made.reports == 3000 and made.photos == 3000 and made.status_changes > 3000

    with session_scope(engine) as s:
        reports = s.scalars(select(Report)).all()
        last = dict(s.execute(select(StatusChange.report_id, StatusChange.to_state)
                              .order_by(StatusChange.report_id, StatusChange.at, StatusChange.id)).all())
        photo_files = set(s.scalars(select(Photo.public_name)))
        reach_km = places.model(s).length_m / 1000
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


def test_generated_proposals_and_clean_ups_read_like_real_ones(engine, tmp_path):
    with session_scope(engine) as s:
        places.install_reference(s)
        staff = accounts.create_user(s, "gen-staff", "Gen staff", "staff", "password-1", None)
    made = generate.reports(engine, tmp_path / "photos", 4000, seed=3)
    assert (made.proposals, made.cleanups) == (8, 4) and made.signups > 4 * 8

    rows = proposals.register(engine, staff)
    assert len(rows) == 8
    public = proposals.register(engine, None)
    assert public and all(r.state == "published" for r in public)
    for row in rows:
        d = proposals.detail(engine, staff, row.id)
        assert [e.to_state for e in d.history][-1] == row.state  # the history ends where it stands
        if row.state == "published":
            assert d.answers and d.results and d.reports and row.progress is not None

    stats = cleanups.stats(engine)
    assert stats.events == 4 and stats.kg > 0 and stats.attended + stats.no_show == made.signups
    with session_scope(engine) as s:
        taken = dict(s.execute(select(Cleanup.id, Cleanup.seats_taken)).all())
        seated = dict(s.execute(select(Signup.cleanup_id, func.sum(Signup.seats)).group_by(Signup.cleanup_id)).all())
        cleared = s.scalars(select(Report.state).join(CleanupReport, CleanupReport.report_id == Report.id)).all()
    assert taken == seated
    assert cleared and set(cleared) == {"fixed"}


def test_after_generating_the_portal_files_and_follows_reports_as_usual(engine, tmp_path):
    with session_scope(engine) as s:
        places.install_reference(s)
        where = intake.place(s, 121.398, 29.1492, "gps")
    generate.reports(engine, tmp_path / "photos", 500)
    code = intake.submit(engine, intake.Submission([jpeg((300, 200))], "bank_litter", where), tmp_path / "photos").code
    assert track.status(engine, code).state == State.SUBMITTED.value
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Report)) == 501
