"""Clean-up sign-ups per second with 8 concurrent writers, on SQLite (a temp file) and on
PostgreSQL (a temp schema), through qingxi.cleanups.sign_up; and how many seats were overbooked
(must be 0: the capacity rule is a conditional UPDATE, see db.cleanup_queries)."""
from __future__ import annotations

import os
import tempfile
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from bench._concurrent import together
from db import migrate
from db.engine import make_engine, session_scope
from db.models import Cleanup, Signup, User
from qingxi import cleanups
from qingxi.core import places

WRITERS, EACH, CAPACITY = 8, 100, 500  # 800 sign-ups for 500 seats: the last 300 go to the waitlist
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
PG_ADMIN = os.environ.get("QINGXI_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _measure(url: str) -> tuple[float, int, int, int, int]:
    """(sign-ups per second, overbooked seats, seated, waitlisted, errors)."""
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        with session_scope(engine) as s:
            places.install_reference(s)
            staff = User(username="bench", display_name="bench", role="staff")
            s.add(staff)
            s.flush()
        start = NOW + timedelta(days=3)
        cid = cleanups.create(engine, staff, cleanups.Plan("bench", start, start + timedelta(hours=2), 1.0, 2.0,
                                                           CAPACITY, meeting_km=1.0), now=NOW)
        cleanups.publish(engine, staff, cid, now=NOW)
        batches = [[(w, i) for i in range(EACH)] for w in range(WRITERS)]
        elapsed, errors = together(batches, lambda wi: cleanups.sign_up(
            engine, cid, f"w{wi[0]}-{wi[1]}", f"139{wi[0]:02d}{wi[1]:06d}", now=NOW))
        with session_scope(engine) as s:
            seats = s.scalar(select(func.coalesce(func.sum(Signup.seats), 0))
                             .where(Signup.cleanup_id == cid, Signup.status == "seated"))
            waiting = s.scalar(select(func.count()).select_from(Signup)
                               .where(Signup.cleanup_id == cid, Signup.status == "waitlisted"))
            counter = s.get(Cleanup, cid).seats_taken
        over = max(seats - CAPACITY, 0) + max(counter - CAPACITY, 0) + abs(counter - seats)
        return WRITERS * EACH / elapsed, over, seats, waiting, len(errors)
    finally:
        engine.dispose()


def _naive(url: str) -> tuple[int, int]:
    """For contrast: the same load through a read-then-write check (SELECT the counter, decide in
    Python, write it back) in ordinary transactions. Returns (overbooked seats, errors)."""
    engine = make_engine(url)
    try:
        with session_scope(engine) as s:
            ev = s.scalars(select(Cleanup).where(Cleanup.title == "bench")).one()
            ev_id = Cleanup(title="naive", starts_at=ev.starts_at, ends_at=ev.ends_at, meeting_km=1.0,
                            meeting_lon=ev.meeting_lon, meeting_lat=ev.meeting_lat, km_from=1.0, km_to=2.0,
                            capacity=CAPACITY, state="published")
            s.add(ev_id)
            s.flush()
            cid = ev_id.id
        def book(wi: tuple[int, int]) -> None:
            w, i = wi
            with session_scope(engine) as s:
                taken = s.scalar(select(Cleanup.seats_taken).where(Cleanup.id == cid))
                seated = taken + 1 <= CAPACITY
                if seated:
                    s.get(Cleanup, cid).seats_taken = taken + 1
                s.add(Signup(cleanup_id=cid, code=f"N{w}{i:05d}", name="n", phone=f"137{w:02d}{i:06d}",
                             companions=0, seats=1, group_seats=0, status="seated" if seated else "waitlisted"))

        _, errors = together([[(w, i) for i in range(EACH)] for w in range(WRITERS)], book)
        with session_scope(engine) as s:
            seated = s.scalar(select(func.count()).select_from(Signup)
                              .where(Signup.cleanup_id == cid, Signup.status == "seated"))
        return max(seated - CAPACITY, 0), len(errors)
    finally:
        engine.dispose()


def _pg_schema() -> str | None:
    schema = f"qx_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception:  # noqa: BLE001 - any connection failure means "no server"
        return None
    finally:
        admin.dispose()
    return schema


def _drop(schema: str) -> None:
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def _rows(url: str, backend: str) -> list[dict]:
    rate, over, seated, waiting, errors = _measure(url)
    naive_over, naive_errors = _naive(url)
    case = f"{backend}, {WRITERS} writers"
    right = over == 0 and errors == 0 and seated == CAPACITY and waiting == WRITERS * EACH - CAPACITY
    return [
        {"benchmark": "cleanups", "case": case, "figure": "sign-ups/s", "value": rate, "unit": "/s",
         "note": f"{WRITERS * EACH} sign-ups for {CAPACITY} seats through cleanups.sign_up"},
        {"benchmark": "cleanups", "case": case, "figure": "overbooked", "value": over if right else "DISAGREE",
         "unit": "seats", "reference": f"read-then-write check: {naive_over} overbooked",
         "note": f"{seated} seated, {waiting} waitlisted, {errors} errors; must be "
                 f"{CAPACITY}, {WRITERS * EACH - CAPACITY}, 0"},
        {"benchmark": "cleanups", "case": case, "figure": "read-then-write", "value": naive_over, "unit": "seats",
         "note": f"for contrast: overbooked by a SELECT-then-UPDATE check; {naive_errors} errors surfaced"},
    ]


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        rows = _rows(f"sqlite:///{Path(tmp) / 'bench.db'}", "SQLite")
    schema = _pg_schema()
    if schema is None:
        return rows + [{"benchmark": "cleanups", "case": "PostgreSQL", "figure": "sign-ups/s", "value": "n/a",
                        "unit": "", "note": f"no PostgreSQL at {PG_ADMIN}"}]
    try:
        rows += _rows(f"{PG_ADMIN}?options=-csearch_path%3D{schema}", "PostgreSQL")
    finally:
        _drop(schema)
    return rows
