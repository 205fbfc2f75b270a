"""`make load`: simulated villagers in headless Chromium against one app process, then two behind
nginx, on PostgreSQL, for a bounded time. Not part of `make test`.

Each user loops over scenarios (browse the map, file a report with a photo, sign up for a clean-up
day) and every step is timed from navigation to the page being idle. Afterwards the database and
the photo folder are counted: every tracking code and sign-up code a user was shown must be
stored, with its photo files. Prints one table; exits non-zero on any error or loss.

    python -m load [--users 4] [--seconds 60]
"""
from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from playwright.async_api import async_playwright
from sqlalchemy import func, select

from db.engine import make_engine, session_scope
from db.models import Cleanup, Photo, Report, Signup, utcnow
from qingxi import accounts, cleanups
from qingxi.cleanups import EVENTS_PATH
from tests.support.photo_samples import gps_ifd, jpeg
from tests.support.servers import ARGS, CHROMIUM, Proxy, Server, drop_schema, pg_schema_url

IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
PHONE = {"width": 390, "height": 844}


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    report_codes: list[str] = field(default_factory=list)
    signup_codes: list[str] = field(default_factory=list)


async def _idle(page) -> None:
    await page.wait_for_selector(IDLE, timeout=60_000)
    if await page.get_by_role("dialog").count():  # a fresh server's first deep link
        await page.keyboard.press("Escape")
    await page.wait_for_function("() => !document.querySelector('[data-stale=true]')", timeout=60_000)


async def _open(page, url: str) -> None:
    await page.goto(url)
    await _idle(page)
    if await page.get_by_test_id("stException").count():
        raise RuntimeError("exception shown on the page")


async def browse_map(page, base: str, n: int, tally: Tally, _ctx: dict) -> None:
    await _open(page, f"{base}/map?lang=zh")
    await page.wait_for_selector("canvas", timeout=60_000)


async def file_report(page, base: str, n: int, tally: Tally, ctx: dict) -> None:
    photo = ctx["folder"] / f"p{n}.jpg"
    lon, lat = 121.398 + random.uniform(-0.002, 0.002), 29.1492 + random.uniform(-0.0003, 0.0003)
    photo.write_bytes(jpeg((640 + n % 300, 480 + n // 300 % 200), gps=gps_ifd(lon, lat)))
    await _open(page, f"{base}/report?lang=zh")
    await page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(photo))
    await page.get_by_text("位置来自照片").wait_for(timeout=60_000)
    await _idle(page)
    await page.get_by_role("button", name="岸边垃圾").click()
    await _idle(page)
    await page.get_by_role("button", name="提交上报").click()
    await page.get_by_text("上报成功").wait_for(timeout=60_000)
    tally.report_codes.append((await page.locator(".qx-code").inner_text()).strip())


async def sign_up(page, base: str, n: int, tally: Tally, ctx: dict) -> None:
    await _open(page, f"{base}/{EVENTS_PATH}?id={ctx['event']}&lang=zh")
    await page.get_by_role("textbox", name="姓名").fill(f"压测志愿者{n}")
    await page.get_by_role("textbox", name="手机号码").fill(f"137{n:08d}")
    await page.get_by_role("button", name="提交报名").click()
    await page.locator(".qx-code").wait_for(timeout=60_000)
    tally.signup_codes.append((await page.locator(".qx-code").inner_text()).strip())


SCENARIOS = {"map": (browse_map, 3), "report": (file_report, 2), "signup": (sign_up, 1)}


async def _user(browser, base: str, deadline: float, tally: Tally, ctx: dict, seed: int) -> None:
    rng = random.Random(seed)
    context = await browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = await context.new_page()
    names, weights = zip(*((k, w) for k, (_, w) in SCENARIOS.items()))
    while time.monotonic() < deadline:
        name = rng.choices(names, weights)[0]
        ctx["n"] += 1
        started = time.perf_counter()
        try:
            await SCENARIOS[name][0](page, base, ctx["n"], tally, ctx)
            tally.times[name].append(time.perf_counter() - started)
        except Exception as err:  # noqa: BLE001 - every failure is counted and shown
            tally.errors[name].append(f"{type(err).__name__}: {str(err).splitlines()[0][:120]}")
            await page.close()
            page = await context.new_page()
    await context.close()


async def _run(base: str, users: int, seconds: float, ctx: dict) -> Tally:
    tally = Tally()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(_user(browser, base, deadline, tally, ctx, seed) for seed in range(users)))
        await browser.close()
    return tally


def _event(url: str) -> int:
    """A published clean-up day with seats for everyone the run may sign up."""
    engine = make_engine(url)
    with session_scope(engine) as s:
        staff = accounts.create_user(s, "load-staff", "压测工作人员", "staff", "load-password-1", None)
    day = utcnow() + timedelta(days=7)
    event = cleanups.create(engine, staff, cleanups.Plan(
        title="压测清理活动", starts_at=day, ends_at=day + timedelta(hours=3), km_from=1.0, km_to=2.0,
        capacity=500, meeting_km=1.0))
    cleanups.publish(engine, staff, event)
    engine.dispose()
    return event


def _lost(url: str, photo_dir: Path, tally: Tally) -> tuple[int, int, int]:
    """(reports shown but not stored or missing a photo file, sign-ups shown but not stored, seats over capacity)."""
    engine = make_engine(url)
    with session_scope(engine) as s:
        stored = set(s.scalars(select(Report.code).where(Report.code.in_(tally.report_codes))))
        files = s.execute(select(Photo.public_name, Photo.thumb_name).join(Report)
                          .where(Report.code.in_(tally.report_codes))).all()
        signed = set(s.scalars(select(Signup.code).where(Signup.code.in_(tally.signup_codes))))
        over = s.scalar(select(func.coalesce(func.sum(Cleanup.seats_taken - Cleanup.capacity), 0))
                        .where(Cleanup.seats_taken > Cleanup.capacity))
    engine.dispose()
    missing = sum(not (photo_dir / name).is_file() for row in files for name in row)
    return len(set(tally.report_codes) - stored) + missing, len(set(tally.signup_codes) - signed), over


def _rows(setup: str, tally: Tally) -> list[tuple]:
    rows = []
    for name in SCENARIOS:
        times = sorted(tally.times[name])
        p = (lambda q: times[min(len(times) - 1, int(q * len(times)))]) if times else (lambda q: float("nan"))
        rows.append((setup, name, len(times), len(tally.errors[name]), statistics.median(times) if times else float("nan"),
                     p(0.95)))
    rows.append((setup, "all", sum(len(v) for v in tally.times.values()), sum(len(v) for v in tally.errors.values()),
                 float("nan"), float("nan")))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m load")
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    schema, url = pg_schema_url()
    servers: list[Server] = []
    proxy = None
    rows, errors, lost = [], [], []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            env = {"DATABASE_URL": url, "QINGXI_PHOTO_DIR": str(folder / "photos")}
            for name in ("a", "b"):
                (folder / name).mkdir()
            servers.append(Server(folder / "a", demo=True, **env))
            ctx = {"folder": folder, "n": 0, "event": _event(url)}
            phases = [("1 process", lambda: servers[0].url), ("2 processes + nginx", None)]
            for label, base in phases:
                if base is None:
                    servers.append(Server(folder / "b", demo=False, **env))
                    proxy = Proxy(folder, [s.port for s in servers])
                    base = lambda: proxy.url  # noqa: E731
                tally = asyncio.run(_run(base(), args.users, args.seconds, ctx))
                rows += _rows(label, tally)
                errors += [f"{label} / {k}: {e}" for k, v in tally.errors.items() for e in v]
                lost.append((label, *_lost(url, folder / "photos", tally)))
    finally:
        if proxy:
            proxy.stop()
        for srv in servers:
            srv.stop()
        drop_schema(schema)
    print(f"load: {args.users} simulated users per phase, {args.seconds:.0f} s each, PostgreSQL, Debian Chromium")
    print(f"{'setup':<22}{'scenario':<10}{'done':>6}{'errors':>8}{'p50 s':>8}{'p95 s':>8}")
    seconds = lambda v: "—" if v != v else f"{v:.2f}"  # noqa: E731 - NaN: no timing for the total row
    for setup, name, done, err, p50, p95 in rows:
        print(f"{setup:<22}{name:<10}{done:>6}{err:>8}{seconds(p50):>8}{seconds(p95):>8}")
    for label, reports, signups, over in lost:
        print(f"{label}: reports lost {reports}, sign-ups lost {signups}, seats over capacity {over}")
    for line in errors[:20]:
        print("error:", line)
    return 1 if errors or any(sum(x[1:]) for x in lost) else 0


if __name__ == "__main__":
    sys.exit(main())
