"""Demo clean-up days, walked through the real services of qingxi.cleanups with frozen clocks so
their seats, waitlists, audit entries and closed reports are what the app itself would write:

- two past events, done and reported, with check-ins, walk-ins, no-shows, results, item tallies,
  before/after photos and attached demo reports closed "cleaned by volunteers" (the numbers page
  has two months of series);
- one upcoming event, published, with sign-ups and a village team in its reserved seats;
- one upcoming event that is full, with a short waitlist (a waitlist always means "full": see
  qingxi.cleanups);
- one draft made from the top-ranked river section, with its open reports attached.

Every title says 【演示】 and every row is is_demo; the people are 演示志愿者NN with phones from an
unassigned range. Loaded by `python -m qingxi setup` after the demo reports and accounts.
"""
from __future__ import annotations

import io
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Engine

from db import accounts_queries
from db import cleanups_queries as q
from db.engine import session_scope
from db.models import utcnow
from qingxi import cleanups as cu
from qingxi import proposals
from qingxi.core.settings import current as settings
from qingxi.ops import demo
from qingxi.reports import OPEN_STATES

TAG = "【演示】"
RIVERSIDE = ("331022003204", "331022003221", "331022003302", "331022003305")


def _jpeg(kind: str, rng: random.Random) -> bytes:
    img = demo._picture("bank_litter" if kind == "before" else "floating_litter", rng)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _local_day(now: datetime, days: int, hour: int = 8) -> datetime:
    tz = settings().timezone
    day = (now.astimezone(tz) + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return day.astimezone(timezone.utc)


def _people(engine: Engine, cid: int, first: int, n: int, at: datetime, rng: random.Random,
            companions: tuple[int, ...] = (0, 0, 0, 1, 2), **kw) -> list[str]:
    codes = []
    for i in range(first, first + n):
        receipt = cu.sign_up(engine, cid, f"演示志愿者{i:02d}", f"1990000{i:04d}", rng.choice(RIVERSIDE),
                             companions=rng.choice(companions), now=at, **kw)
        codes.append(receipt.code)
    return codes


def _past(engine: Engine, staff, photo_dir: Path, now: datetime, rng: random.Random, days_ago: int,
          km_from: float, first: int) -> int:
    start = _local_day(now, -days_ago)
    before = start - timedelta(days=10)
    cid = cu.create(engine, staff, cu.Plan(
        title=f"{TAG}清溪第 {km_from:.1f}–{km_from + 1:.1f} 公里护河清理", starts_at=start,
        ends_at=start + timedelta(hours=3), km_from=km_from, km_to=km_from + 1.0, capacity=25,
        meeting_village_code=RIVERSIDE[first % len(RIVERSIDE)], reserved={"代表": 4},
        equipment=["手套", "垃圾袋", "长柄夹"], leader_name="演示站长", leader_contact="0576-0000000",
        notes=demo.DEMO_NOTE), now=before, is_demo=True)
    cu.publish(engine, staff, cid, now=before)
    codes = _people(engine, cid, first, 14, before, rng)
    deputies = cu.event(engine, staff, cid).groups[0].id
    codes += _people(engine, cid, first + 14, 2, before, rng, group_id=deputies)
    for code in codes[:12] + codes[14:]:
        cu.check_in(engine, staff, cid, code, now=start)
    cu.walk_in(engine, staff, cid, "演示路过村民", village_code=RIVERSIDE[0], companions=1, now=start)
    with session_scope(engine) as s:
        open_ids = q.litter_reports_between(s, cu.LITTER_CATEGORIES, [x.value for x in OPEN_STATES],
                                            km_from, km_from + 1.0)
    if open_ids:
        cu.attach_reports(engine, staff, cid, open_ids[:3], now=before)
    cu.mark_done(engine, staff, cid, no_show_rest=True, now=start + timedelta(hours=3))
    came = sum(r.seats for r in cu.roster(engine, staff, cid) if r.attendance == "attended")
    cu.record_results(engine, staff, cid, cu.Results(
        participants=came, hours=came * 3.0, bags=rng.randint(15, 40), kg=round(rng.uniform(60, 180), 1),
        km_covered=round(rng.uniform(0.6, 1.0), 2),
        items={"plastic_bottles": rng.randint(80, 300), "plastic_bags": rng.randint(50, 200),
               "foam": rng.randint(5, 40), "glass": rng.randint(0, 20), "tyres": rng.randint(0, 2),
               "other": rng.randint(10, 60)}),
        before=[_jpeg("before", rng)], after=[_jpeg("after", rng)], photo_dir=photo_dir,
        now=start + timedelta(hours=5))
    if open_ids:
        cu.mark_cleaned(engine, staff, cid, open_ids[:2], now=start + timedelta(hours=5))
    cu.publish_results(engine, staff, cid, now=start + timedelta(days=1))
    return cid


def load(engine: Engine, photo_dir: Path, now: datetime | None = None, seed: int = 2020) -> int:
    """Add the demo clean-ups; returns how many events were added."""
    now = now or utcnow()
    rng = random.Random(seed)
    with session_scope(engine) as s:
        staff = accounts_queries.user_by_name(s, "demo-staff")
    if staff is None:
        return 0
    ids = [_past(engine, staff, photo_dir, now, rng, 62, 2.0, 1),
           _past(engine, staff, photo_dir, now, rng, 27, 5.0, 21)]
    soon = _local_day(now, 6)
    upcoming = cu.create(engine, staff, cu.Plan(
        title=f"{TAG}世界环境日 · 清溪沙柳段清理", starts_at=soon, ends_at=soon + timedelta(hours=3),
        km_from=3.0, km_to=4.5, capacity=20, meeting_village_code=RIVERSIDE[0], reserved={"代表": 3, "村队": 3},
        equipment=["手套", "垃圾袋", "防滑鞋"], leader_name="演示站长", leader_contact="0576-0000000",
        notes=demo.DEMO_NOTE), now=now, is_demo=True)
    cu.publish(engine, staff, upcoming, now=now)
    _people(engine, upcoming, 41, 9, now, rng, companions=(0,))  # 9 of 14 public seats
    team = next(g.id for g in cu.event(engine, staff, upcoming).groups if g.name == "村队")
    _people(engine, upcoming, 61, 2, now, rng, group_id=team)
    full_day = _local_day(now, 13, 14)
    full = cu.create(engine, staff, cu.Plan(
        title=f"{TAG}清溪入海口段周末清理", starts_at=full_day, ends_at=full_day + timedelta(hours=2),
        km_from=7.0, km_to=8.0, capacity=6, meeting_km=7.0, equipment=["手套"], leader_name="演示站长",
        notes=demo.DEMO_NOTE), now=now, is_demo=True)
    cu.publish(engine, staff, full, now=now)
    _people(engine, full, 71, 3, now, rng, companions=(1,))  # 6 of 6 seats
    _people(engine, full, 74, 2, now, rng, companions=(0,))  # a short waitlist
    ids += [upcoming, full]
    top = cu.sections(engine, staff, now=now, limit=1)
    if top:
        ids.append(cu.draft_from_section(engine, staff, top[0].index, now=now, is_demo=True))
    published = [r.id for r in proposals.register(engine, staff, now=now) if r.state == "published"]
    if published:  # the chain the portal is for: a proposal, and the clean-up day that served it
        proposals.link_cleanup(engine, staff, published[0], ids[1], now=now)
    return len(ids)
