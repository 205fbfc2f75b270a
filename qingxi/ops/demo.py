"""The demo set: clearly labelled reports along the river, with generated photos.

Loaded once on the first `make run`; never under CI unless a test asks for it.
"""
from __future__ import annotations

import os
import random
import secrets
from datetime import timedelta
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy.orm import Session

from db import accounts_queries, places_queries
from db.models import Photo, Report, StatusChange, utcnow
from qingxi import accounts
from qingxi.core import codes, photos, places
from qingxi.reports import CATEGORIES, SIZED_CATEGORIES, SIZES, State, move

DEMO_NOTE = "【演示数据 DEMO】"
DEMO_UNIT = "沙柳村村委会（演示）"
DEMO_USERS = [("demo-admin", "演示管理员", "admin"), ("demo-staff", "演示工作人员", "staff"),
              ("demo-handler", "演示承办人", "handler"), ("demo-deputy", "演示代表", "deputy")]
# Paths a demo report takes through the state machine, with how often each occurs.
PATHS = [
    ((), 5),
    ((State.SIGNED,), 3),
    ((State.SIGNED, State.DISPATCHED), 3),
    ((State.SIGNED, State.DISPATCHED, State.IN_PROGRESS), 3),
    ((State.SIGNED, State.DISPATCHED, State.IN_PROGRESS, State.FIXED), 6),
    ((State.SIGNED, State.UNFIXED), 1),
    ((State.SIGNED, State.DISPATCHED, State.FIXED, State.REOPENED), 1),
    ((State.DUPLICATE,), 1),
]
COLOURS = {"floating_litter": (70, 130, 180), "bank_litter": (120, 150, 80),
           "illegal_dumping": (140, 110, 80), "construction_waste": (150, 150, 150),
           "sewage": (90, 90, 60), "water_colour_smell": (110, 140, 60), "dead_fish": (80, 120, 150),
           "illegal_fishing": (60, 110, 140), "damaged_facility": (160, 140, 120), "other": (120, 120, 140)}


def _picture(category: str, rng: random.Random) -> Image.Image:
    """A recognisable, obviously fake photo: water, a bank, some 'litter', a DEMO stamp."""
    img = Image.new("RGB", (960, 720), COLOURS[category])
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 480, 960, 720), fill=(96, 140, 70))
    for _ in range(rng.randint(4, 12)):
        x, y = rng.randint(40, 900), rng.randint(300, 680)
        draw.ellipse((x, y, x + rng.randint(20, 70), y + rng.randint(15, 45)),
                     fill=tuple(rng.randint(150, 255) for _ in range(3)))
    font = ImageFont.load_default(size=64)
    draw.text((40, 40), "DEMO", fill=(255, 255, 255), font=font)
    draw.text((40, 120), category, fill=(255, 255, 255), font=ImageFont.load_default(size=36))
    return img


def load_demo(session: Session, photo_dir: Path, count: int = 80, seed: int = 2017) -> int:
    rng = random.Random(seed)
    river = places.model(session)
    spots = river.candidates(step_m=100)
    village_ids = places_queries.village_ids(session)
    now = utcnow()
    paths, weights = zip(*PATHS)
    for i in range(count):
        spot = spots.iloc[rng.randrange(len(spots))]
        far = i % 25 == 24  # a few out-of-area reports, so staff see the flag
        lon = spot.lon + rng.uniform(-6e-4, 6e-4) + (0.0 if not far else 0.05)
        lat = spot.lat + rng.uniform(-5e-4, 5e-4)
        where = river.locate_one(lon, lat)
        category = rng.choice(CATEGORIES)
        created = now - timedelta(days=rng.uniform(0, 150), minutes=rng.uniform(0, 600))
        visibility = rng.choice(("staff", "staff", "anonymous", "public"))
        report = Report(
            code=codes.new_code(), category=category,
            size=rng.choice(SIZES) if category in SIZED_CATEGORIES else None,
            cleaned_by_reporter=rng.random() < 0.1,
            description=f"{DEMO_NOTE} 清溪第 {spot.km:.1f} 公里附近",
            lon=lon, lat=lat, location_source=rng.choice(("gps", "map", "village")),
            river_km=where.river_km, distance_m=where.distance_m, bank=where.bank,
            village_id=village_ids.get(where.village_code), off_river=not where.in_service,
            reporter_name=None if visibility == "anonymous" else f"演示村民{i:02d}",
            reporter_phone=None if visibility == "anonymous" else f"1380000{i:04d}",
            visibility=visibility, supporters=rng.choice((0, 0, 0, 1, 2, 5)),
            is_demo=True, created_at=created, state=State.SUBMITTED.value,
        )
        report.history.append(StatusChange(to_state=State.SUBMITTED.value, at=created, note=DEMO_NOTE))
        at = created
        for state in rng.choices(paths, weights)[0]:
            at += timedelta(minutes=rng.uniform(1, 60 * 24 * 3))
            move(report, state, actor="演示工作人员", note=DEMO_NOTE, at=min(at, now))
        stored = photos.store(_picture(category, rng), photo_dir)
        report.photos.append(Photo(kind="report", sha256=stored.sha256, public_name=stored.public_name,
                                   thumb_name=stored.thumb_name, width=stored.width, height=stored.height))
        session.add(report)
    session.flush()
    return count



def load_demo_users(session: Session, password_file: Path) -> list[tuple[str, str, str]]:
    """The four demo accounts (and the handler's demo unit), each with a random password made here
    and written to `password_file` (readable by its owner only, 0600); returns (username, role,
    password) for the accounts added, so setup can show them once. No password is ever fixed."""
    unit = accounts_queries.unit_by_name(session, DEMO_UNIT) or accounts_queries.add_unit(session, DEMO_UNIT)
    added = []
    for username, name, role in DEMO_USERS:
        if accounts_queries.user_by_name(session, username) is None:
            password = secrets.token_urlsafe(12)
            accounts.add_account(session, None, username, name, role, password,
                                 unit.id if role == "handler" else None, is_demo=True)
            added.append((username, role, password))
    if added:
        password_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # a fresh demo database
        os.fchmod(fd, 0o600)  # also when the file was there before with wider rights
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines(f"{username} {password}\n" for username, _, password in added)
    return added
