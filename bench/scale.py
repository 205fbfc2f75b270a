"""The portal's pages at 1,000,000 reports on PostgreSQL, next to the same pages at 1,000 (the
reference): `python -m bench.scale` (also part of `make bench`).

Two databases on the PostgreSQL at QINGXI_SCALE_PG (default postgresql://postgres@127.0.0.1:5432):
`qx_scale_1k` is made afresh each run (setup + `generate --reports 1000`); `qx_scale` is reused
when it already holds ≥ 1,000,000 reports, otherwise made the same way (3–8 minutes here).
Each gets its own `streamlit run server.py` (as `make run` does, with QINGXI_QUERY_LOG set) and
Debian's Chromium (playwright) measures, after one warm-up visit:
- the map (/map): ready = the script run is over and the map canvas has drawn two frames
  (performance.now() since navigation); websocket bytes received for the page (CDP frames);
- the one-screen dashboard (/dashboard) signed in as a staff account: three times a visit after
  the 30 s cache has expired (the figures are computed) followed by one the cache serves.
The map's other views (every year, a km range, a category) are timed through the service.
Times are medians of RUNS. The slowest statements come from the servers' and those views' query logs.
"""
from __future__ import annotations

import base64
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("QINGXI_SCALE_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
BIG, SMALL, MILLION = "qx_scale", "qx_scale_1k", 1_000_000
RUNS = 3
STAFF, PASSWORD = "bench-staff", "scale-bench-pw-1"
GOAL = 1.5
CACHE_S = 30  # pages/dashboard.py's ttl


def _url(database: str) -> str:
    return make_url(PG).set(database=database).render_as_string(hide_password=False)


def _cli(env: dict, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qingxi", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True)


def _reports(database: str) -> int:
    engine = create_engine(_url(database))
    try:
        with engine.connect() as conn:
            return conn.scalar(text("SELECT count(*) FROM reports"))
    except Exception:  # noqa: BLE001 - no database or no table: nothing to reuse
        return 0
    finally:
        engine.dispose()


def _fresh(database: str, count: int, env: dict) -> float:
    """Drop and create `database`, set it up without demo data, generate `count` reports; seconds."""
    admin = create_engine(_url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    t0 = time.perf_counter()
    _cli(env, "setup", "--no-demo").check_returncode()
    _cli(env, "generate", "--reports", str(count)).check_returncode()
    return time.perf_counter() - t0


def _prepare(database: str, count: int, photos: Path) -> tuple[dict, str]:
    env = {**os.environ, "DATABASE_URL": _url(database), "QINGXI_PHOTO_DIR": str(photos)}
    env.pop("QINGXI_QUERY_LOG", None)
    have = _reports(database) if database == BIG else 0
    if database == BIG and have >= MILLION:
        note = f"reused database {database} ({have:,} reports)"
        _cli(env, "setup", "--no-demo").check_returncode()  # migrates to every head (the scale indexes)
    else:
        note = f"generated into {database} in {_fresh(database, count, env):.0f} s"
    engine = create_engine(_url(database))
    with engine.connect() as conn:
        known = conn.scalar(text("SELECT count(*) FROM users WHERE username = :u"), {"u": STAFF})
    engine.dispose()
    if not known:
        _cli(env, "create-user", STAFF, "--role", "staff", "--name", "Bench", "--password-stdin",
             stdin=PASSWORD).check_returncode()
    return env, note


def _ready_ms(page) -> float:
    """Script run over, then two animation frames drawn: milliseconds since navigation start."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=120_000)
    return page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame("
                         "() => r(performance.now()))))")


def _signed_in(browser, base: str) -> dict:
    """The staff account's cookies, signed in once through the real form."""
    from tests.support.browser import sign_in

    context = browser.new_context()
    sign_in(context.new_page(), base, STAFF, PASSWORD)
    state = context.storage_state()
    context.close()
    return state


def _visit(browser, base: str, path: str, wait_for: str, state: dict | None = None) -> tuple[float, int]:
    """One visit in a fresh browser context (a new Streamlit session): ready ms, websocket bytes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, storage_state=state)
    page = context.new_page()
    received = [0]
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")

    def frame(event):
        r = event["response"]
        received[0] += len(base64.b64decode(r["payloadData"])) if r["opcode"] == 2 else len(r["payloadData"].encode())
    cdp.on("Network.webSocketFrameReceived", frame)
    page.goto(f"{base}{path}")
    page.wait_for_selector(wait_for, timeout=120_000)
    ms = _ready_ms(page)
    page.wait_for_timeout(200)  # late frames of this page still count towards its bytes
    context.close()
    return ms, received[0]


MAP = ("/map?lang=en", "[data-testid=stDeckGlJsonChart] canvas")
DASH = ("/dashboard?lang=en", "[data-testid=stMetric]")


def _measure(browser, base: str) -> dict:
    out = {}
    _visit(browser, base, "/?lang=en", "[data-testid=stApp]")      # warm the server's imports
    _visit(browser, base, *MAP)
    runs = [_visit(browser, base, *MAP) for _ in range(RUNS)]
    out["map_ms"] = statistics.median(r[0] for r in runs)
    out["map_bytes"] = statistics.median(r[1] for r in runs)
    staff = _signed_in(browser, base)
    first, cached = [], []
    for i in range(RUNS):  # pairs: a visit that computes the figures, then one the cache serves
        if i:
            time.sleep(CACHE_S + 1)  # let the dashboard's cache expire
        first.append(_visit(browser, base, *DASH, staff)[0])
        cached.append(_visit(browser, base, *DASH, staff)[0])
    out["dash_first_ms"], out["dash_cached_ms"] = statistics.median(first), statistics.median(cached)
    return out


def _slowest(log: Path, n: int) -> list[tuple[float, str]]:
    rows = []
    for line in log.read_text(encoding="utf-8").splitlines() if log.exists() else []:
        ms, _, statement = line.partition("\t")
        rows.append((float(ms), statement))
    return sorted(rows, reverse=True)[:n]


# The map's views besides the one it opens on; the browser visits only that one.
VIEWS = {"every year": {}, "every year, km 2.35–7.15": {"km": (2.35, 7.15)},
         "every year, one category": {"categories": ["sewage"]}}


def _map_views(database: str, log: Path) -> dict:
    """What the map's default view sends (reports in view, features drawn), and each of VIEWS
    timed through the service (median of RUNS), its statements added to the query log."""
    from db.engine import QUERY_LOG_ENV, make_engine, session_scope
    from qingxi.reports import public

    os.environ[QUERY_LOG_ENV] = str(log)
    try:
        engine = make_engine(_url(database))
    finally:
        del os.environ[QUERY_LOG_ENV]
    out = {}
    with session_scope(engine) as s:
        default = public.map_filter(dates=public.default_dates(), reach_km=99)
        shown = public.map_reports(s, default, "en", default)
        out["default"] = (shown.total, len(shown.points) + len(shown.cells))
        for view, choice in VIEWS.items():
            f, times = public.map_filter(reach_km=99, **choice), []
            for _ in range(RUNS):
                t0 = time.perf_counter()
                shown = public.map_reports(s, f, "en", default)
                times.append((time.perf_counter() - t0) * 1000)
            out[view] = (shown.total, len(shown.points) + len(shown.cells), statistics.median(times))
    engine.dispose()
    return out


def run() -> list[dict]:
    from playwright.sync_api import sync_playwright

    from tests.support.servers import ARGS, CHROMIUM, Server

    rows, found, logs = [], {}, {}  # logs: label → the server's QINGXI_QUERY_LOG file
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for database, count, label in ((SMALL, 1000, "1k (reference)"), (BIG, MILLION, "1M")):
            folder = Path(tmp) / database
            folder.mkdir()
            photos = Path("/tmp") / f"{database}_photos"
            env, note = _prepare(database, count, photos)
            rows.append({"benchmark": "scale", "case": f"PostgreSQL {label}", "figure": "reports",
                         "value": _reports(database), "unit": "", "note": note})
            logs[label] = folder / "queries.log"
            server = Server(folder, demo=False, DATABASE_URL=env["DATABASE_URL"], QINGXI_PHOTO_DIR=str(photos),
                            QINGXI_QUERY_LOG=str(logs[label]))
            logs[label].write_text("")  # the pages' statements only, not the setup's
            try:
                found[label] = _measure(browser, server.url)
            finally:
                server.stop()
            views = _map_views(database, logs[label])
            total, features = views.pop("default")
            rows.append({"benchmark": "scale", "case": f"map, {label}", "figure": "features sent", "value": features,
                         "unit": "", "note": f"default view (last 180 days): {total:,} reports; goal ≤ ~5,000"})
            found[label]["views"] = views
            for view, (total, features, ms) in views.items():
                small = found.get("1k (reference)", {}).get("views") if label == "1M" else None
                rows.append({"benchmark": "scale", "case": f"map {view}, {label}", "figure": "service", "value": ms,
                             "unit": "ms", "reference": f"1k: {small[view][2]:.1f} ms" if small else "",
                             "note": f"median of {RUNS}: {total:,} reports in {features:,} features"})
            found[label]["slowest"] = _slowest(logs[label], 10)  # before the temporary folder goes
        browser.close()
    small, big = found["1k (reference)"], found["1M"]
    for key, case, figure, note in (
            ("map_ms", "map /map", "ready", "median of 3 warm visits: script idle + canvas drawn"),
            ("map_bytes", "map /map", "websocket bytes", "received for the page (CDP frames)"),
            ("dash_first_ms", "dashboard /dashboard", "ready, uncached", "median of 3, cache expired: figures computed"),
            ("dash_cached_ms", "dashboard /dashboard", "ready, cached", "median of 3 visits within the 30 s cache")):
        unit = "bytes" if "bytes" in key else "ms"
        rows.append({"benchmark": "scale", "case": f"{case}, 1k (reference)", "figure": figure,
                     "value": float(small[key]), "unit": unit, "note": note})
        reference = f"1k: {small[key]:,.0f} {unit}"
        rows.append({"benchmark": "scale", "case": f"{case}, 1M", "figure": figure, "value": float(big[key]),
                     "unit": unit, "reference": reference, "note": note})
        ratio = big[key] / small[key] if small[key] else float("nan")
        goal = f"goal ≤ {GOAL}×: {'met' if ratio <= GOAL else 'NOT met'}" if unit == "ms" else "1M / 1k"
        rows.append({"benchmark": "scale", "case": case, "figure": "ratio 1M / 1k", "value": ratio, "unit": "x",
                     "reference": reference, "note": goal})
    worst_small = small["slowest"][:1]
    if worst_small:
        rows.append({"benchmark": "scale", "case": "queries, 1k (reference)", "figure": "slowest", "value": worst_small[0][0],
                     "unit": "ms", "note": worst_small[0][1][:90]})
    for i, (ms, statement) in enumerate(big["slowest"], 1):
        rows.append({"benchmark": "scale", "case": "queries, 1M", "figure": f"slowest #{i}", "value": ms, "unit": "ms",
                     "reference": "goal ≤ 300 ms", "note": ("" if ms <= 300 else "OVER 300 ms: ") + statement[:90]})
    return rows


if __name__ == "__main__":
    from bench.__main__ import show

    show(run())
