"""Sign-in under a burst of guesses (issue 14 items 7 and 8): `python -m bench.signin` (also part of
`make bench`).

The sign-in route (web.auth, uvicorn in a process of its own, as server.py mounts it) on a fresh
PostgreSQL database `qx_bench_signin` with 50 accounts. Each burst is 50 posts of a wrong password
sent at once from one address (50 threads released together):
- across 50 usernames that exist, one guess each (the headline case);
- across 50 usernames that don't exist (the same argon2 work: a missing account costs as much);
- 50 on one username (the per-name-and-address limit, counted atomically: 5 checks).
Reported: wall time from the release to the last answer, the slowest answer, argon2 checks (answers
`wrong`: that key is only given after a check), refusals by kind (`busy`: no check slot within
CHECK_WAIT_S; `slowed`: over a limit, refused before any check), the server's CPU seconds and its
peak memory above its size before the burst (VmHWM, reset before each burst).
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import create_engine, text

from bench._routes import ROOT, Routes, load
from bench.scale import _url

DATABASE, N = "qx_bench_signin", 50
PASSWORD = "signin-bench-right-1"


def _database() -> str:
    admin = create_engine(_url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    url = _url(DATABASE)
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "qingxi", "setup", "--no-demo"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    from db.engine import make_engine, session_scope
    from qingxi import accounts

    engine = make_engine(url)
    with session_scope(engine) as s:
        for i in range(N):
            accounts.create_user(s, f"bench{i:02d}", f"Bench {i}", "staff", PASSWORD)
    engine.dispose()
    return url


def _burst(server: Routes, usernames: list[str]) -> dict:
    import httpx

    outcomes: list[str] = []
    took: list[float] = []
    start = threading.Barrier(len(usernames) + 1)

    def guess(name: str) -> None:
        with httpx.Client(timeout=120) as client:
            start.wait()
            t0 = time.perf_counter()
            r = client.post(f"{server.url}/auth/login", data={"username": name, "password": "wrong-guess-123",
                                                              "next": "/"}, headers={"Sec-Fetch-Site": "same-origin"})
            took.append(time.perf_counter() - t0)
            where = r.headers.get("location", "")
            outcomes.append(parse_qs(urlsplit(where).query).get("error", [f"HTTP {r.status_code} {where}"])[0])

    threads = [threading.Thread(target=guess, args=(n,)) for n in usernames]
    for th in threads:
        th.start()
    server.reset_peak()
    idle, cpu0 = server.rss_mib(), server.cpu_s()
    start.wait()
    t0 = time.perf_counter()
    for th in threads:
        th.join()
    return {"s": time.perf_counter() - t0, "slowest": max(took), "median": statistics.median(took),
            "cpu": server.cpu_s() - cpu0, "mib": server.peak_mib() - idle, "outcomes": Counter(outcomes)}


def run() -> list[dict]:
    from qingxi.accounts import users

    url = _database()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        server = Routes({**os.environ, "DATABASE_URL": url, "QINGXI_PHOTO_DIR": str(Path(tmp) / "photos")})
        try:
            cases = (("50 wrong passwords, 50 usernames", [f"bench{i:02d}" for i in range(N)]),
                     ("50 wrong passwords, 50 unknown usernames", [f"nobody{i:02d}" for i in range(N)]),
                     ("50 wrong passwords, one username", ["bench00"] * N))
            for case, names in cases:
                got = _burst(server, names)
                o = got["outcomes"]
                checks = o.pop("wrong", 0)
                refused = ", ".join(f"{k} {v}" for k, v in sorted(o.items())) or "none"
                note = (f"argon2 checks {checks}; refusals: {refused}; slowest answer {got['slowest']:.2f} s "
                        f"(median {got['median']:.2f} s); server CPU {got['cpu']:.1f} s; peak +{got['mib']:.0f} MiB; {load()}")
                rows.append({"benchmark": "signin", "case": case, "figure": "burst wall time", "value": got["s"],
                             "unit": "s", "reference": f"{users.CHECKS_AT_ONCE} checks at once per process, "
                                                       f"{users.MAX_FAILURES} per name+address, "
                                                       f"{users.ACCOUNT_FAILURES} per name / {users.FAILURE_WINDOW}",
                             "note": note})
                if case.endswith("one username") and checks > users.MAX_FAILURES:
                    rows[-1]["value"] = "DISAGREE"
        finally:
            server.stop()
    admin = create_engine(_url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
    admin.dispose()
    return rows


if __name__ == "__main__":
    from bench.__main__ import show

    show(run())
