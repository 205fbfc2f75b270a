"""Schema changes go through alembic only; this is how the app and the tests call it.

Every process runs `upgrade` when it starts, so two may start at once on a fresh database. Each
upgrade therefore runs as ONE transaction under a lock: a PostgreSQL advisory lock, or SQLite's
exclusive lock (BEGIN EXCLUSIVE, with the driver's own transaction handling switched off so the
DDL is inside it). The second process waits, then finds nothing left to do; a migration that fails
leaves the schema as it was, on both backends.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

INI = Path(__file__).with_name("alembic.ini")
LOCK_KEY = 2_017_0116  # any constant: the advisory lock every Qingxi process takes to migrate
LOCK_WAIT_S = 600      # how long a process waits for another one's migration (a big backfill takes minutes)


def _config(conn: Connection) -> Config:
    cfg = Config(str(INI))
    cfg.set_main_option("sqlalchemy.url", conn.engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    cfg.attributes["connection"] = conn
    return cfg


@contextmanager
def _locked(engine: Engine):
    """A connection inside one transaction that holds the migration lock; committed at the end."""
    # On SQLite even connecting can find the database locked: a new connection's PRAGMAs (the switch
    # to WAL on a fresh file) meet another process's migration, and SQLite may say so at once.
    with (_until_unlocked(engine.connect) if engine.dialect.name == "sqlite" else engine.connect()) as conn:
        if engine.dialect.name == "sqlite":
            raw = conn.connection.dbapi_connection
            managed, raw.isolation_level = raw.isolation_level, None  # we say BEGIN, the driver stays out
            try:
                _until_unlocked(lambda: conn.exec_driver_sql("BEGIN EXCLUSIVE"))  # each try waits the busy timeout
                yield conn
                conn.exec_driver_sql("COMMIT")
            except BaseException:
                if raw.in_transaction:
                    conn.exec_driver_sql("ROLLBACK")
                raise
            finally:
                raw.isolation_level = managed
        else:
            with conn.begin():
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
                yield conn


def _until_unlocked(attempt):
    """`attempt()`, tried again while SQLite says the database is locked (another process is
    migrating it), for up to LOCK_WAIT_S."""
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            return attempt()
        except OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)  # a lock SQLite refuses at once (not after the busy timeout) must not spin


def upgrade(engine: Engine, revision: str = "heads") -> None:
    with _locked(engine) as conn:
        command.upgrade(_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with _locked(engine) as conn:
        command.downgrade(_config(conn), revision)
