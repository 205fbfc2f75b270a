"""The worker as a real process (`python -m qingxi worker`), on SQLite and PostgreSQL: killed with
SIGKILL while the robot holds its message unanswered, then started again, it delivers that message
exactly once — after the dead worker's lease runs out, never while it holds."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from db.engine import session_scope
from db.models import NotifyDelivery
from qingxi import notify
from qingxi.core import clock
from tests.db.test_notify import file  # one way to file a report in the notify tests
from tests.support.dingtalk import process_env, robots
from tests.support.servers import ROOT

pytestmark = pytest.mark.usefixtures("notify_key")


def until(check, timeout: float = 60.0, what: str = "") -> None:
    """Wait for a state (polling), never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(what or "state not reached")
        time.sleep(0.05)


def delivery(engine) -> NotifyDelivery:
    with session_scope(engine) as s:
        row = s.scalars(select(NotifyDelivery)).one()
        s.expunge(row)
        return row


def worker_env(engine, robot, folder) -> dict[str, str]:
    return process_env(robot, {**os.environ, "DATABASE_URL": engine.url.render_as_string(hide_password=False),
                               "QINGXI_NOTIFY_KEY": "a test passphrase", "QINGXI_PHOTO_DIR": str(folder / "photos")})


def start(env, log) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "qingxi", "worker", "--interval", "0.2"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def test_a_worker_killed_mid_send_delivers_the_message_once_after_a_restart(people, tmp_path):
    with robots(1) as (duty,):
        notify.add(people.engine, None, "duty", duty.url(), "report.new,report.urgent")
        file(people.engine, tmp_path, category="sewage")
        duty.mode, duty.stall_s = "stall", 30.0  # takes the request and holds it unanswered
        env = worker_env(people.engine, duty, tmp_path)
        with (tmp_path / "worker.log").open("w") as log:
            first = start(env, log)
            try:
                until(lambda: duty.hits >= 1, what="the worker's request at the robot")
                assert delivery(people.engine).status == "sending"
            finally:
                os.kill(first.pid, signal.SIGKILL)  # mid-send: the robot has not answered
                first.wait(10)
            assert first.returncode == -signal.SIGKILL
            duty.mode = "ok"
            # Started again while the dead worker's lease holds: nothing is sent twice.
            again = subprocess.run([sys.executable, "-m", "qingxi", "worker", "--once"], cwd=ROOT, env=env,
                                   capture_output=True, text=True, timeout=120)
            assert again.returncode == 0 and duty.messages == []
            held = delivery(people.engine)
            assert (held.status, held.attempts) == ("sending", 1)
            # The lease runs out (LEASE_S + the pass's sending time after the claim): moved to now here.
            with session_scope(people.engine) as s:
                s.execute(update(NotifyDelivery).values(lease_until=clock.now() - timedelta(seconds=1)))
            second = start(env, log)
            try:
                until(lambda: delivery(people.engine).status == "sent", what="the message sent after the restart")
                assert len(duty.messages) == 1
            finally:
                second.send_signal(signal.SIGTERM)  # the worker's own stop: ends its pass, then exits
                second.wait(30)
        assert second.returncode == 0
        done = delivery(people.engine)
        assert (done.status, done.attempts) == ("sent", 2)
        [message] = duty.messages
        assert message.signed and "紧急" in message.text and "/triage?report=" in message.text
        assert duty.hits == 2  # the held request and the one delivered: no other
