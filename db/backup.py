"""Copy the database out and back in while the portal runs: SQLite's online backup API, pg_dump.

Both take a consistent snapshot without stopping writers: SQLite's backup reads one committed
state of the file (WAL lets writers go on meanwhile); pg_dump runs in one repeatable-read
transaction. On PostgreSQL only the schema the portal uses is dumped, so a server shared with
other applications (or other test schemas) gives a dump of ours alone.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, make_url, text

from db.engine import make_engine

SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"


class RestoreRefused(RuntimeError):
    """The target database already holds a portal: restoring over it needs `force`."""


def dump(engine: Engine, folder: Path) -> str:
    """Write a snapshot of the database into `folder`; returns the file name."""
    if engine.dialect.name == "sqlite":
        target = folder / SQLITE_FILE
        with sqlite3.connect(engine.url.database) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return SQLITE_FILE
    with engine.connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--schema={schema}",
                    f"--file={folder / PG_FILE}", _libpq(engine.url)], check=True, capture_output=True,
                   env=_pg_env(engine.url))
    return PG_FILE


def load(url: str, snapshot: Path, *, force: bool = False) -> None:
    """Bring a snapshot back into the database at `url`: refused over a database that holds a
    portal unless `force` (which replaces it)."""
    engine = make_engine(url)
    try:
        if holds_portal(engine) and not force:
            raise RestoreRefused(url)
        if snapshot.name == SQLITE_FILE:
            with sqlite3.connect(snapshot) as src, sqlite3.connect(engine.url.database) as dst:
                src.backup(dst)
            return
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                        "--exit-on-error", f"--dbname={_libpq(engine.url)}", str(snapshot)],
                       check=True, capture_output=True, env=_pg_env(engine.url))
    finally:
        engine.dispose()


def holds_portal(engine: Engine) -> bool:
    with engine.connect() as conn:
        return engine.dialect.has_table(conn, "alembic_version")


def _libpq(url) -> str:
    """The SQLAlchemy URL as libpq (pg_dump, pg_restore) reads it: no driver suffix and no password
    (a command line is visible to every user of the machine in `ps`; see _pg_env)."""
    return make_url(url)._replace(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _pg_env(url) -> dict[str, str]:
    """The environment for pg_dump / pg_restore: the password, when there is one, in PGPASSWORD."""
    password = make_url(url).password
    return {**os.environ, **({"PGPASSWORD": password} if password else {})}
