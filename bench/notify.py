"""Notifications: from an urgent report's commit to its message at a local DingTalk-like robot
(tests/support/dingtalk.py, signatures checked), p50 / p95 over 200 reports beside the 30 s
sign-off target (goal p95 <= 5 s), with one worker looping as `python -m qingxi worker` does
(a pass every 2 s); messages per second for one worker and for two on PostgreSQL; and, after the
robot was down for QINGXI_BENCH_DOWN_S seconds (60), the time to drain the backlog once it is back.

Channels here take 100,000 messages a minute: the robot is local, and the figure is the worker's,
not DingTalk's 20 a minute (beyond which messages fold into digests)."""
from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, select, text

from db import migrate
from db.engine import make_engine, session_scope
from db.models import Report
from qingxi import notify
from qingxi.core import outbox, places, settings
from qingxi.notify import worker
from qingxi.reports import intake
from tests.support.dingtalk import robots
from tests.support.people import VILLAGE
from tests.support.photo_samples import jpeg

PG_ADMIN = os.environ.get("QINGXI_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REPORTS = 200
MESSAGES = 1000
DOWN_S = float(os.environ.get("QINGXI_BENCH_DOWN_S", "60"))
FAST = 100_000


def _ready(url: str):
    engine = make_engine(url)
    migrate.upgrade(engine)
    with session_scope(engine) as s:
        places.install_reference(s)
    return engine


def _looping(engine, count: int = 1) -> tuple[threading.Event, list[threading.Thread]]:
    stop = threading.Event()
    threads = [threading.Thread(target=worker.run, args=(engine,), kwargs={"stop": stop}, daemon=True)
               for _ in range(count)]
    for th in threads:
        th.start()
    return stop, threads


def _wait(robot, n: int, limit_s: float) -> float:
    t0 = time.perf_counter()
    while len(robot.messages) < n and time.perf_counter() - t0 < limit_s:
        time.sleep(0.02)
    return time.perf_counter() - t0


def _latency(engine, robot, photo_dir: Path) -> tuple[float, float, int]:
    notify.add(engine, None, "latency", robot.url(), "report.urgent", per_minute=FAST)
    with session_scope(engine) as s:
        where = intake.village_place(s, VILLAGE)
    committed: dict[str, float] = {}
    stop, threads = _looping(engine)
    try:
        for n in range(REPORTS):
            code = intake.submit(engine, intake.Submission([jpeg((300 + n, 200))], "sewage", where,
                                                           accept_problem=True), photo_dir).code
            committed[code] = time.time()
            time.sleep(0.05)
        _wait(robot, REPORTS, 60)
    finally:
        stop.set()
        [th.join() for th in threads]
    with session_scope(engine) as s:
        ids = {code: rid for code, rid in s.execute(select(Report.code, Report.id))}
    arrived = {m.text.rsplit("report=", 1)[1]: m.at for m in robot.messages}
    waits = sorted(arrived[str(ids[c])] - at for c, at in committed.items() if str(ids[c]) in arrived)
    p95 = waits[int(len(waits) * 0.95) - 1] if waits else float("nan")
    return statistics.median(waits) if waits else float("nan"), p95, len(waits)


def _throughput(engine, robot, workers: int) -> tuple[float, int]:
    name = f"throughput{workers}"
    notify.add(engine, None, name, robot.url(), "cleanup.cancelled", per_minute=FAST)
    with session_scope(engine) as s:
        for n in range(MESSAGES):
            outbox.emit(s, "cleanup.cancelled", {"cleanup_id": n, "title": f"bench {n}"})
    before = len(robot.messages)
    t0 = time.perf_counter()
    stop, threads = _looping(engine, workers)
    try:
        _wait(robot, before + MESSAGES, 300)
    finally:
        stop.set()
        [th.join() for th in threads]
    got = [m.text for m in robot.messages[before:]]
    notify.remove(engine, None, name)  # its rows go with it: the next case starts empty
    return MESSAGES / (time.perf_counter() - t0), len(got) - len(set(got))


def _backlog(engine, robot) -> tuple[float, int]:
    notify.add(engine, None, "backlog", robot.url(), "cleanup.reminder", per_minute=FAST)
    robot.mode = "fail"
    stop, threads = _looping(engine)
    try:
        t0 = time.perf_counter()
        n = 0
        while time.perf_counter() - t0 < DOWN_S:
            with session_scope(engine) as s:
                outbox.emit(s, "cleanup.reminder", {"cleanup_id": n, "title": f"down {n}"})
            n += 1
            time.sleep(0.5)
        robot.mode = "ok"
        back = time.perf_counter()
        before = len(robot.messages)
        _wait(robot, before + n, 900)
        return time.perf_counter() - back, n
    finally:
        stop.set()
        [th.join() for th in threads]


def _rows(url: str, backend: str, two: bool) -> list[dict]:
    engine = _ready(url)
    rows = []
    try:
        with robots(4) as (a, b, c, d), tempfile.TemporaryDirectory() as photos:
            p50, p95, n = _latency(engine, a, Path(photos))
            rows.append({"benchmark": "notify", "case": backend, "figure": "commit→robot p50", "value": p50,
                         "unit": "s", "reference": "sign-off target 30 s", "note": f"{n} of {REPORTS} urgent reports"})
            rows.append({"benchmark": "notify", "case": backend, "figure": "commit→robot p95",
                         "value": p95 if n == REPORTS else "DISAGREE", "unit": "s",
                         "reference": "goal <= 5 s", "note": "one worker, a pass every 2 s"})
            rate, dupes = _throughput(engine, b, 1)
            rows.append({"benchmark": "notify", "case": backend, "figure": "1 worker", "value": rate,
                         "unit": "msg/s", "note": f"{MESSAGES} messages; duplicates {dupes}"})
            if two:
                rate2, dupes2 = _throughput(engine, c, 2)
                rows.append({"benchmark": "notify", "case": backend, "figure": "2 workers",
                             "value": rate2 if dupes2 == 0 else "DISAGREE", "unit": "msg/s",
                             "note": f"{MESSAGES} messages, SKIP LOCKED; duplicates {dupes2} (must be 0)"})
            drain, queued = _backlog(engine, d)
            rows.append({"benchmark": "notify", "case": backend, "figure": f"drain after {DOWN_S:.0f} s down",
                         "value": drain, "unit": "s", "note": f"{queued} messages queued while down; back-off "
                                                              f"{worker.BACKOFF_BASE_S} s doubling"})
    finally:
        engine.dispose()
    return rows


def run() -> list[dict]:
    os.environ.setdefault("QINGXI_NOTIFY_KEY", "bench")
    settings.current.cache_clear()
    logging_quiet()
    with tempfile.TemporaryDirectory() as tmp:
        rows = _rows(f"sqlite:///{Path(tmp) / 'bench.db'}", "SQLite", two=False)
    schema = f"qx_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception:  # noqa: BLE001
        return rows + [{"benchmark": "notify", "case": "PostgreSQL", "figure": "p95", "value": "n/a",
                        "note": f"no PostgreSQL at {PG_ADMIN}"}]
    try:
        rows += _rows(f"{PG_ADMIN}?options=-csearch_path%3D{schema}", "PostgreSQL", two=True)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
    return rows


def logging_quiet() -> None:
    import logging
    logging.getLogger("apprise").setLevel(logging.ERROR)


if __name__ == "__main__":
    from bench.__main__ import show

    show(run())
