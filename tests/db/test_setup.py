"""`make run`'s setup step: migrate, geography and demo data on the first run only."""
import pytest
from sqlalchemy import func, select

from db.engine import engine_for, session_scope
from db.models import Photo, Report
from qingxi.core.settings import current as settings
from qingxi.ops.cli import setup


def _counts() -> tuple[int, int]:
    with session_scope(engine_for(settings().database_url)) as s:
        return (s.scalar(select(func.count()).select_from(Report)),
                s.scalar(select(func.count()).select_from(Photo)))


def test_first_run_loads_demo_once_and_keeps_what_is_there(app_env, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    setup(load_demo=None)
    reports, photos = _counts()
    assert reports == 80 and photos == 80
    with session_scope(engine_for(settings().database_url)) as s:
        demo = s.scalars(select(Report)).all()
        assert all(r.is_demo and "演示" in r.description for r in demo)  # clearly labelled
        assert {r.state for r in demo} >= {"submitted", "in_progress", "fixed", "unfixed"}
        assert len({r.category for r in demo}) >= 6
        assert any(r.off_river for r in demo) and any(not r.off_river for r in demo)
        for r in demo:
            assert (settings().photo_dir / r.photos[0].public_name).is_file()
            assert r.history[0].to_state == "submitted" and r.history[-1].to_state == r.state
        s.delete(demo[0])
    setup(load_demo=None)  # second `make run`: nothing added, nothing restored
    assert _counts() == (79, 79)


@pytest.mark.parametrize("ask, expected", [(None, 0), (True, 80)])
def test_ci_gets_no_demo_unless_a_test_asks(app_env, monkeypatch, ask, expected):
    monkeypatch.setenv("CI", "true")
    setup(load_demo=ask)
    assert _counts()[0] == expected
