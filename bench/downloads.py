"""The public downloads at 1,000,000 reports on PostgreSQL (issue 14 item 7): `python -m bench.downloads`
(also part of `make bench`). QINGXI_BENCH_DOWNLOAD_REPORTS=N measures at N reports instead.

The database is bench.scale's `qx_scale` for 1,000,000 (reused when it holds that many, else made
with `generate`, 8–9 minutes here), `qx_downloads_<N>` for another N.
- The page (/downloads) as a visitor opens it, through AppTest: the script's wall and CPU time on a
  session's first visit and on the next run. It only shows links: the check is that the cache
  folder is still empty afterwards (nothing was built).
- The files through their real route (web.downloads, uvicorn in a process of its own, as server.py
  mounts it): GET /downloads/reports.csv and .geojson, the first request after a change (the file
  is written, rows streamed from the database) and a cached one (the file served as it is): time to
  the last byte, the server's CPU seconds, its peak memory above its size before the request
  (VmHWM, reset before each request), bytes. PostgreSQL's own CPU is not in the server's figure.
"""
from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from bench._routes import ROOT, Routes, load
from bench.scale import BIG, MILLION, _fresh, _reports, _url

REPORTS = int(os.environ.get("QINGXI_BENCH_DOWNLOAD_REPORTS", MILLION))
RUNS = 3
OLD = "before issue 14: the page built both files on every visit (2.8 s CPU, 34.5 MB at 50k; ~1 min, ~700 MB at 1M)"


def _database(count: int) -> tuple[str, str]:
    """The database holding `count` reports (made when missing), and how it came to be."""
    name = BIG if count == MILLION else f"qx_downloads_{count}"
    have = _reports(name)
    if have >= count:
        return name, f"reused database {name} ({have:,} reports)"
    env = {**os.environ, "DATABASE_URL": _url(name), "QINGXI_PHOTO_DIR": f"/tmp/{name}_photos"}
    return name, f"generated into {name} in {_fresh(name, count, env):.0f} s"


def _page(env: dict) -> tuple[list[float], list[float]]:
    """(wall ms, CPU ms) of the downloads page's script: the first visit of RUNS new sessions, then
    one rerun of the last session."""
    from streamlit.testing.v1 import AppTest

    from qingxi.core import settings

    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    settings.current.cache_clear()
    walls, cpus = [], []
    try:
        for i in range(RUNS + 1):
            if i < RUNS:
                at = AppTest.from_file(str(ROOT / "tests/support/portal.py"), default_timeout=300)
                at.context["locale"] = "zh-CN"
                at.run()                                                  # the session's entry (home)
                at._page_hash = next(h for h, info in at._registered_pages.items()
                                     if info.get("url_pathname") == "downloads")
            w0, c0 = time.perf_counter(), time.process_time()
            at.run()
            walls.append((time.perf_counter() - w0) * 1000)
            cpus.append((time.process_time() - c0) * 1000)
            assert not at.exception and at.get("link_button"), "the downloads page did not show its links"
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        settings.current.cache_clear()
    return walls, cpus


def _get(server: Routes, kind: str) -> dict:
    import httpx

    server.reset_peak()
    idle, cpu0, t0, size = server.rss_mib(), server.cpu_s(), time.perf_counter(), 0
    with httpx.stream("GET", f"{server.url}/downloads/reports.{kind}?lang=zh", timeout=1800) as r:
        r.raise_for_status()
        for chunk in r.iter_bytes():
            size += len(chunk)
    return {"s": time.perf_counter() - t0, "cpu": server.cpu_s() - cpu0, "mib": server.peak_mib() - idle,
            "bytes": size}


def run() -> list[dict]:
    name, note = _database(REPORTS)
    count = _reports(name)
    label = f"{count:,} reports"
    rows = [{"benchmark": "downloads", "case": f"PostgreSQL, {label}", "figure": "reports", "value": count,
             "unit": "", "note": f"{note}; {load()}"}]
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        env = {"DATABASE_URL": _url(name), "QINGXI_PHOTO_DIR": str(Path(tmp) / "photos"), "QINGXI_CACHE_DIR": str(cache)}
        walls, cpus = _page(env)
        built = sorted(p.name for p in cache.glob("*")) if cache.exists() else []
        page_note = "nothing built" if not built else f"BUILT {built}"
        rows += [
            {"benchmark": "downloads", "case": f"page, {label}", "figure": "first visit, script wall",
             "value": statistics.median(walls[:RUNS]), "unit": "ms", "reference": OLD,
             "note": f"median of {RUNS} new sessions; CPU {statistics.median(cpus[:RUNS]):.0f} ms; {page_note}"},
            {"benchmark": "downloads", "case": f"page, {label}", "figure": "next run, script wall",
             "value": walls[RUNS], "unit": "ms", "note": f"CPU {cpus[RUNS]:.0f} ms; {page_note}"},
        ]
        if built:
            rows[-1]["value"] = "DISAGREE"
        server = Routes({**os.environ, **env})
        try:
            for kind in ("csv", "geojson"):
                for case in ("first request (file written)", "cached (file served)"):
                    got = _get(server, kind)
                    rows.append({"benchmark": "downloads", "case": f"{kind}, {label}", "figure": case,
                                 "value": got["s"], "unit": "s",
                                 "note": f"server CPU {got['cpu']:.1f} s, peak +{got['mib']:.0f} MiB, "
                                         f"{got['bytes'] / 1e6:.1f} MB; {load()}"})
        finally:
            server.stop()
    return rows


if __name__ == "__main__":
    from bench.__main__ import show

    show(run())
