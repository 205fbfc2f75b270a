"""The engine: SQLite (WAL, durable) by default, PostgreSQL when DATABASE_URL says so."""
from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 10_000


def normalise_url(url: str) -> str:
    """Accept the usual `postgresql://` spelling and route it to psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets readers run beside a writer; synchronous=FULL makes a committed report survive
    # a power cut; foreign keys are off by default in SQLite.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


QUERY_LOG_ENV = "QINGXI_QUERY_LOG"
_log_lock = threading.Lock()


def _log_queries(engine: Engine, path: str) -> None:
    """Append one line per statement to `path`: duration in ms, a tab, its first 200 characters
    on one line (the benchmark reads the slowest from a running server)."""
    def before(conn, _cursor, _statement, _params, _context, _many):
        conn.info.setdefault("qx_t0", []).append(time.perf_counter())

    def after(conn, _cursor, statement, _params, _context, _many):
        ms = (time.perf_counter() - conn.info["qx_t0"].pop()) * 1000
        line = " ".join(statement.split())[:200]
        with _log_lock, open(path, "a", encoding="utf-8") as out:
            out.write(f"{ms:.2f}\t{line}\n")

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    if log := os.environ.get(QUERY_LOG_ENV):
        _log_queries(engine, log)
    return engine


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    return make_engine(url)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with sessionmaker(engine, expire_on_commit=False)() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def write_scope(engine: Engine) -> Iterator[Session]:
    """session_scope for a read-then-write unit of work that must not lose a race: on SQLite the
    transaction takes the write lock at once (BEGIN IMMEDIATE, waiting up to the busy timeout), so
    a deferred reader never fails to upgrade to a writer ("database is locked"); on PostgreSQL it
    is a plain transaction whose conditional UPDATEs / SELECT ... FOR UPDATE take the row locks."""
    with session_scope(engine) as session:
        if engine.dialect.name == "sqlite":
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        yield session
