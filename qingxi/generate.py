"""`python -m qingxi generate --reports N`: a realistic synthetic load for measuring at scale.

Reports lie along the river (more where villages crowd the banks), in every category, over five
years, in the states an office really has: old reports mostly closed, recent ones still open.
Each has its status history, milestones that agree with it, supporters and a photo row. Built as
numpy columns and written by `db.bulk` (COPY on PostgreSQL): a million reports take minutes.
Everything generated is marked is_demo, and texts say 【合成数据】.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image
from sqlalchemy import Engine

from db import bulk, repo
from db.accounts_repo import add_unit, unit_by_name
from db.engine import session_scope
from db.models import utcnow
from qingxi import codes, geography, photos
from qingxi.reports import CATEGORIES, MILESTONE, SIZED_CATEGORIES, SIZES, State

NOTE = "【合成数据】"
YEARS = 5
UNITS = 12
# State paths (after "submitted") and their weights for reports older than a month and newer.
# About 3 % of older reports are still open (the stuck ones every office has).
PATHS: list[tuple[tuple[State, ...], float, float]] = [
    ((), 0.002, 0.20),
    ((State.SIGNED,), 0.002, 0.15),
    ((State.SIGNED, State.DISPATCHED), 0.005, 0.15),
    ((State.SIGNED, State.DISPATCHED, State.IN_PROGRESS), 0.01, 0.15),
    ((State.SIGNED, State.DISPATCHED, State.IN_PROGRESS, State.RESOLVED), 0.003, 0.05),
    ((State.SIGNED, State.DISPATCHED, State.IN_PROGRESS, State.RESOLVED, State.FIXED), 0.65, 0.20),
    ((State.SIGNED, State.DISPATCHED, State.FIXED), 0.14, 0.04),
    ((State.SIGNED, State.UNFIXED), 0.05, 0.02),
    ((State.DUPLICATE,), 0.08, 0.02),
    ((State.INVALID,), 0.05, 0.01),
    ((State.SIGNED, State.DISPATCHED, State.FIXED, State.REOPENED), 0.008, 0.01),
]
CATEGORY_WEIGHTS = np.array([0.22, 0.24, 0.12, 0.06, 0.1, 0.06, 0.04, 0.04, 0.08, 0.04])


@dataclass(frozen=True)
class Generated:
    reports: int
    status_changes: int
    photos: int


def reports(engine: Engine, photo_dir: Path, count: int, seed: int = 16) -> Generated:
    """Add `count` reports with their histories and photo rows to a set-up database."""
    rng = np.random.default_rng(seed)
    now = utcnow()
    with session_scope(engine) as s:
        river = geography.model(s)
        version = repo.current_river(s).id
        village_of = repo.village_ids(s)
        units = [(unit_by_name(s, f"合成承办单位{i:02d}") or add_unit(s, f"合成承办单位{i:02d}")).id
                 for i in range(1, UNITS + 1)]
    first = bulk.next_id(engine, "reports")
    ids = np.arange(first, first + count)

    # Where: a km along the reach (denser near the middle villages), a bank, a few metres off it.
    km = np.clip(rng.beta(2.0, 2.0, count) * river.length_m / 1000, 0, river.length_m / 1000)
    lon, lat = river.point_at_km(km)
    off = rng.normal(0, 12, count)  # metres from the centre line
    lon, lat = lon + off / 97_000, lat + rng.normal(0, 8, count) / 111_320
    steps = river.candidates(step_m=25)
    village_ids = steps.village_code.map(village_of).to_numpy()[np.minimum((km * 40).round().astype(int),
                                                                           len(steps) - 1)]

    created = now - pd.to_timedelta(rng.power(1.6, count)[::-1] * YEARS * 365 * 86400, unit="s")
    category = np.array(CATEGORIES)[rng.choice(len(CATEGORIES), count, p=CATEGORY_WEIGHTS)]
    sized = np.isin(category, SIZED_CATEGORIES)
    old = (now - created) > pd.Timedelta(days=30)
    path_ix = np.where(old, _pick(rng, [w for _, w, _ in PATHS], count), _pick(rng, [w for _, _, w in PATHS], count))
    visibility = rng.choice(["staff", "anonymous", "public"], count, p=[0.6, 0.25, 0.15])
    frame = pd.DataFrame({
        "id": ids, "code": [_code(i) for i in ids], "category": category,
        "size": np.where(sized, rng.choice(SIZES, count, p=[0.6, 0.3, 0.1]), None),
        "cleaned_by_reporter": rng.random(count) < 0.08, "description": NOTE,
        "lon": lon.round(6), "lat": lat.round(6), "location_source": rng.choice(["gps", "browser", "map"], count),
        "river_version_id": version, "river_km": km.round(4), "distance_m": np.abs(off).round(1),
        "bank": np.where(off < 0, "left", "right"), "village_id": pd.array(village_ids, dtype="Int64"),
        "off_river": False,
        "reporter_name": np.where(visibility == "anonymous", None, "合成村民"),
        "reporter_phone": np.where(visibility == "anonymous", None, [f"139{i % 10**8:08d}" for i in ids]),
        "visibility": visibility, "priority": rng.choice(["normal", "high", "urgent"], count, p=[0.85, 0.12, 0.03]),
        "hidden": rng.random(count) < 0.002, "supporters": rng.poisson(0.6, count), "is_demo": True,
        "created_at": created,
    })
    history = _histories(rng, frame, path_ix, now)
    last = history.groupby("report_id").agg(state=("to_state", "last"), updated_at=("at", "max"))
    frame = frame.join(last, on="id")
    for field in (*MILESTONE.values(), "closed_at"):
        frame[field] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]")
    for state, field in MILESTONE.items():
        firsts = history[history.to_state == state.value].groupby("report_id")["at"].min()
        frame[field] = frame["id"].map(firsts)
    closing = history[history.to_state.isin(["unfixed", "duplicate", "invalid", "referred"])]
    frame["closed_at"] = frame["id"].map(closing.groupby("report_id")["at"].max())
    reopened = frame.state == "reopened"
    frame.loc[reopened, "closed_at"] = pd.NaT
    dispatched = frame.dispatched_at.notna() & frame.state.isin(["dispatched", "in_progress", "resolved", "fixed"])
    frame["unit_id"] = pd.array(np.where(dispatched, rng.choice(units, count), None), dtype="Int64")

    pictures = _pictures(photo_dir, rng)
    pick = rng.integers(0, len(pictures), count)
    photo_rows = pd.DataFrame({
        "report_id": ids, "kind": "report",
        "sha256": [hashlib.sha256(f"qingxi-synthetic-{i}".encode()).hexdigest() for i in ids],
        "public_name": [pictures[p].public_name for p in pick], "thumb_name": [pictures[p].thumb_name for p in pick],
        "width": [pictures[p].width for p in pick], "height": [pictures[p].height for p in pick],
        "hidden": False, "created_at": frame.created_at,
    })
    bulk.load(engine, "reports", frame)
    bulk.load(engine, "status_changes", history)
    bulk.load(engine, "photos", photo_rows)
    bulk.analyse(engine)
    return Generated(count, len(history), len(photo_rows))


def _pick(rng: np.random.Generator, weights: list[float], n: int) -> np.ndarray:
    p = np.asarray(weights) / sum(weights)
    return rng.choice(len(p), n, p=p)


def _histories(rng: np.random.Generator, frame: pd.DataFrame, path_ix: np.ndarray, now) -> pd.DataFrame:
    """One row per state change, minutes to days apart, never in the future."""
    parts = []
    for ix, (path, _, _) in enumerate(PATHS):
        rows = frame[path_ix == ix]
        at, prev = rows.created_at, None
        for state in (State.SUBMITTED, *path):
            if prev is not None:
                at = at + pd.to_timedelta(rng.exponential(36 * 3600, len(rows)) + 60, unit="s")
            parts.append(pd.DataFrame({"report_id": rows.id.to_numpy(), "from_state": prev, "to_state": state.value,
                                       "at": at.clip(upper=now).to_numpy(), "actor": "合成工作人员" if prev else "",
                                       "note": NOTE if prev else "", "public": True}))
            prev = state.value
    history = pd.concat(parts, ignore_index=True).sort_values(["report_id", "at"], kind="stable")
    history["at"] = pd.to_datetime(history["at"], utc=True)
    return history.reset_index(drop=True)


def _code(n: int) -> str:
    """A distinct tracking code per id (an affine permutation of the code space), so a million
    generated codes never collide with each other; same alphabet and length as real codes."""
    space = len(codes.ALPHABET) ** codes.LENGTH
    n = (n * 387_420_489 + 12_345) % space  # 9^9 is coprime with 31^6
    out = []
    for _ in range(codes.LENGTH):
        n, r = divmod(n, len(codes.ALPHABET))
        out.append(codes.ALPHABET[r])
    return "".join(out)


def _pictures(photo_dir: Path, rng: np.random.Generator, n: int = 8) -> list[photos.Stored]:
    """A handful of real, metadata-free pictures the generated rows share."""
    stored = []
    for i in range(n):
        img = Image.new("RGB", (640, 480), tuple(int(c) for c in rng.integers(40, 200, 3)))
        stored.append(photos.store(img, photo_dir))
    return stored
