"""`python -m qingxi channel add|list|test|pause|resume|remove` and `worker --once` (SQLite, as the
operator runs them), against the local DingTalk-like robot."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from db import migrate
from db.engine import engine_for, session_scope
from db.models import NotifyChannel
from qingxi.core import outbox, places, settings
from qingxi.notify import cli
from tests.support.dingtalk import SECRET, TOKEN, robots

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def portal(app_env, monkeypatch):
    monkeypatch.setenv("QINGXI_NOTIFY_KEY", "cli test key")
    settings.current.cache_clear()
    engine = engine_for(settings.current().database_url)
    migrate.upgrade(engine)
    with session_scope(engine) as s:
        places.install_reference(s)
    return engine


def test_add_list_test_pause_remove(portal, capsys):
    with robots(1) as (robot,):
        assert cli.main(["channel", "add", "沙柳值班群", robot.url(), "--events", "report.urgent,clock.overdue",
                         "--village", "331022003204"]) == 0
        assert "dingtalk://SEC0…" in capsys.readouterr().out
        assert cli.main(["channel", "list"]) == 0
        listed = capsys.readouterr().out
        assert "沙柳值班群" in listed and "report.urgent,clock.overdue" in listed and "village=沙柳村" in listed
        assert TOKEN not in listed and SECRET not in listed
        assert cli.main(["channel", "test", "沙柳值班群"]) == 0
        assert len(robot.messages) == 1 and robot.messages[0].signed
        robot.mode = "fail"
        assert cli.main(["channel", "--lang", "en", "test", "沙柳值班群"]) == 2
        assert "HTTP 500" in capsys.readouterr().err
        assert cli.main(["channel", "pause", "沙柳值班群"]) == 0
        capsys.readouterr()
        cli.main(["channel", "list"])
        assert "paused" in capsys.readouterr().out
        assert cli.main(["channel", "remove", "沙柳值班群"]) == 0
        with session_scope(portal) as s:
            assert s.scalar(select(NotifyChannel.id)) is None


def test_bad_input_is_a_clear_message_and_exit_2(portal, capsys):
    assert cli.main(["channel", "--lang", "en", "add", "x", "nonsense://nowhere", "--events", "report.new"]) == 2
    assert "not recognised" in capsys.readouterr().err
    assert cli.main(["channel", "--lang", "en", "add", "x", "dingtalk://abc@def/", "--events", "report.typo"]) == 2
    assert "report.typo" in capsys.readouterr().err
    assert cli.main(["channel", "--lang", "en", "remove", "nobody"]) == 2
    assert "No such channel" in capsys.readouterr().err


def test_worker_once_sends_what_is_due(portal, capsys):
    with robots(1) as (robot,):
        cli.main(["channel", "add", "duty", robot.url(), "--events", "cleanup.cancelled"])
        with session_scope(portal) as s:
            outbox.emit(s, "cleanup.cancelled", {"cleanup_id": 7, "title": "清溪清理日"})
        assert cli.main(["worker", "--once", "--lang", "en"]) == 0
        assert "sent 1" in capsys.readouterr().out
        assert len(robot.messages) == 1 and "清溪清理日" in robot.texts[0]


def test_the_module_entry_runs_the_notify_commands(portal):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "qingxi", "channel", "--lang", "en", "list"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "No channels yet." in done.stdout
    done = subprocess.run([sys.executable, "-m", "qingxi", "worker", "--once", "--lang", "en"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "sent 0" in done.stdout
