"""The schema comes from alembic alone, on SQLite and on the real PostgreSQL."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from db import migrate, places_queries
from db.engine import make_engine, normalise_url, session_scope
from db.models import Base, Photo, Report, StatusChange, Village
from qingxi.core import places


def test_upgrade_from_empty_creates_every_model_table(db_url):
    engine = make_engine(db_url)
    assert inspect(engine).get_table_names() == []
    migrate.upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    engine.dispose()


def test_migrations_match_the_models(engine):
    """Autogenerate finds nothing to add: the models and the migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_sqlite_is_durable_and_strict(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        pragma = {name: conn.execute(text(f"PRAGMA {name}")).scalar()
                  for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 10_000}


def test_postgres_url_spelling_goes_to_psycopg():
    assert normalise_url("postgresql://u@h/db").startswith("postgresql+psycopg://")
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_report_with_photo_and_history_round_trips(engine):
    taken = datetime(2026, 5, 1, 8, 30, tzinfo=timezone.utc)
    with session_scope(engine) as s:
        places.install_reference(s)
        village = s.scalars(select(Village).where(Village.code == "331022003204")).one()
        report = Report(code="ABC234", category="bank_litter", size="bag", lon=121.398, lat=29.149,
                        location_source="gps", river_km=4.2, distance_m=12.5, bank="left",
                        village=village, reporter_name="王", reporter_phone="13800000000")
        report.photos.append(Photo(sha256="a" * 64, public_name="p.jpg", thumb_name="t.jpg",
                                   width=1600, height=1200, taken_at=taken))
        report.history.append(StatusChange(to_state="submitted"))
        s.add(report)
    with session_scope(engine) as s:
        got = s.scalars(select(Report).where(Report.code == "ABC234")).one()
        assert (got.village.name, got.state, got.visibility, got.priority) == ("沙柳村", "submitted", "staff", "normal")
        assert got.photos[0].taken_at == taken
        assert got.created_at.tzinfo is not None
        assert [h.to_state for h in got.history] == ["submitted"]


def test_constraints_hold_on_both_backends(engine):
    with pytest.raises(IntegrityError):
        with session_scope(engine) as s:
            s.add(Report(code="X", category="other", lon=0, lat=0, location_source="map", visibility="everyone"))
    with pytest.raises(IntegrityError):
        with session_scope(engine) as s:
            s.add(Report(code="Y", category="other", lon=0, lat=0, location_source="map", village_id=999))
    with session_scope(engine) as s:
        assert s.scalars(select(Report)).all() == []


def test_reference_installs_once(session):
    assert places.install_reference(session) is True
    assert places.install_reference(session) is False
    villages = places_queries.villages(session)
    assert len(villages) == 18
    assert all(v.approximate for v in villages)
    assert {v.code for v in villages if v.riverside} >= {"331022003221", "331022003204", "331022003302", "331022003305"}
    assert len(places_queries.current_river(session).lines) == 3


def test_riverside_flag_is_data(session):
    places.install_reference(session)
    places_queries.set_riverside(session, "331022003233", True)
    assert next(v for v in places_queries.villages(session) if v.code == "331022003233").riverside is True
