"""Migrations on SQLite and PostgreSQL: two processes starting at once on a fresh database both come
up on the same schema, and a migration that fails leaves the database as it was."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import event, inspect, text

from db import migrate
from db.engine import make_engine

ROOT = Path(__file__).resolve().parents[2]
START = """
import sys, time
from pathlib import Path
from db import migrate
from db.engine import make_engine
engine = make_engine(sys.argv[1])
Path(sys.argv[3]).touch()  # ready
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.005)
migrate.upgrade(engine)
"""


def heads(engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(text("SELECT version_num FROM alembic_version")))


def test_two_processes_starting_at_once_both_come_up(db_url, tmp_path):
    go, ready = tmp_path / "go", [tmp_path / f"ready{i}" for i in range(2)]
    procs = [subprocess.Popen([sys.executable, "-c", START, db_url, str(go), str(r)], cwd=ROOT,
                              stderr=subprocess.PIPE, text=True) for r in ready]
    while not all(r.exists() for r in ready):  # both have imported everything: start them together
        assert all(p.poll() is None for p in procs), [p.communicate()[1] for p in procs]
        time.sleep(0.01)
    go.touch()
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    engine = make_engine(db_url)
    assert len(heads(engine)) == 1 and "reports" in inspect(engine).get_table_names()
    migrate.upgrade(engine)  # a third start finds nothing to do
    engine.dispose()


def test_a_failing_migration_leaves_the_database_as_it_was(db_url):
    engine = make_engine(db_url)

    @event.listens_for(engine, "before_cursor_execute")
    def power_cut(conn, cursor, statement, *args):
        if "CREATE TABLE map_cells" in statement:  # a late migration, after many tables were made
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        migrate.upgrade(engine)
    assert [t for t in inspect(engine).get_table_names() if t != "alembic_version"] == []
    event.remove(engine, "before_cursor_execute", power_cut)
    migrate.upgrade(engine)  # and the next start completes it
    assert "map_cells" in inspect(engine).get_table_names()
    engine.dispose()
