"""`python -m qingxi generate --reports N`: a realistic synthetic load for measuring at scale.

Reports lie along the river (more where villages crowd the banks), in every category, over five
years, in the states an office really has: old reports mostly closed, recent ones still open.
Each has its status history, milestones that agree with it, supporters and a photo row. With them
come deputies' proposals (one per 500 reports: history, contacts, answers, results, linked
reports) and clean-up days (one per 1,000 reports: sign-ups, attendance, results, cleared
reports). Built as numpy columns and written by `db.bulk` (COPY on PostgreSQL): a million reports
take minutes. Everything generated is marked is_demo, and texts say 【合成数据】.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image
from sqlalchemy import Engine

from db import bulk, places_queries
from db.accounts_queries import add_unit, unit_by_name
from db.engine import session_scope
from db.models import utcnow
from qingxi.core import codes, photos, places
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
    proposals: int
    cleanups: int
    signups: int


def reports(engine: Engine, photo_dir: Path, count: int, seed: int = 16) -> Generated:
    """Add `count` reports with their histories and photo rows to a set-up database."""
    rng = np.random.default_rng(seed)
    now = utcnow()
    with session_scope(engine) as s:
        river = places.model(s)
        version = places_queries.current_river(s).id
        village_of = places_queries.village_ids(s)
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
    proposals = _proposals(engine, rng, frame, units, max(1, count // 500), now)
    events, signups = _cleanups(engine, rng, frame, village_of, max(1, count // 1000), river.length_m / 1000, now)
    bulk.analyse(engine)
    return Generated(count, len(history), len(photo_rows), proposals, events, signups)


def _days(values) -> pd.TimedeltaIndex:
    return pd.to_timedelta(values, unit="D")


def _proposals(engine: Engine, rng: np.random.Generator, reports: pd.DataFrame, units: list[int], n: int,
               now) -> int:
    """Proposals over five yearly meetings, most answered and published, each with its history,
    a contact, an answer, one to three results and a few linked reports from its river section."""
    first_session = bulk.next_id(engine, "congress_sessions")
    meetings = pd.DataFrame({
        "id": np.arange(first_session, first_session + YEARS),
        "name_zh": [f"{NOTE}第{i + 1}次会议（{first_session + i}）" for i in range(YEARS)],
        "name_en": [f"Synthetic meeting {i + 1} ({first_session + i})" for i in range(YEARS)],
        "congress": 99, "meeting": np.arange(1, YEARS + 1),
        "held_on": [(now - timedelta(days=365 * (YEARS - i) - 30)).date() for i in range(YEARS)],
    })
    bulk.load(engine, "congress_sessions", meetings)
    first = bulk.next_id(engine, "proposals")
    ids = np.arange(first, first + n)
    meeting = rng.integers(0, YEARS, n)
    filed = pd.to_datetime(meetings.held_on.to_numpy()[meeting]).tz_localize("UTC") + pd.Timedelta(hours=2)
    recent = meeting == YEARS - 1
    state = np.where(recent, rng.choice(["submitted", "assigned", "handling", "answered", "published"], n,
                                        p=[0.05, 0.15, 0.45, 0.15, 0.2]),
                     rng.choice(["published", "evaluated", "withdrawn"], n, p=[0.93, 0.05, 0.02]))
    km_from = rng.uniform(0, reports.river_km.max() - 1, n).round(2)
    steps = ["assign", "sign", "handle", "answer", "evaluate", "publish"]
    reached = {"submitted": 0, "assigned": 1, "handling": 3, "answered": 4, "evaluated": 5, "published": 6,
               "withdrawn": 1}
    depth = np.array([reached[x] for x in state])
    at = {step: filed + _days(20 + 25 * i + rng.uniform(0, 10, n)) for i, step in enumerate(steps)}
    answer_class = rng.choice(["A", "B", "C", "D"], n, p=[0.6, 0.2, 0.15, 0.05])
    stamp = lambda step, k: pd.Series(at[step]).where(depth >= k)  # noqa: E731 - set once the step happened
    lead_unit = pd.array(np.where(depth >= 1, rng.choice(units, n), None), dtype="Int64")
    frame = pd.DataFrame({
        "id": ids, "number": [f"S-{i}" for i in ids], "title": [f"{NOTE}关于清溪第{k:.1f}公里段整治的建议" for k in km_from],
        "body": NOTE, "session_id": meetings.id.to_numpy()[meeting], "lead_deputy_name": [f"合成代表{i % 97:02d}" for i in ids],
        "filed_on": filed.date, "topic": rng.choice(["bank_improvement", "water_protection", "tourism_leisure", "sewage",
                                                     "flood_safety", "other"], n),
        "lead_unit_id": lead_unit, "km_from": km_from, "km_to": (km_from + rng.uniform(0.3, 1.0, n)).round(2),
        "state": state, "assigned_at": stamp("assign", 1),
        "deadline": pd.Series(at["assign"] + pd.DateOffset(months=3)).where(depth >= 1),
        "signed_at": stamp("sign", 2), "handling_since": stamp("handle", 3), "answered_at": stamp("answer", 4),
        "answer_class": np.where(depth >= 4, answer_class, None),
        "evaluation": np.where(depth >= 5, rng.choice(["satisfied", "basically"], n, p=[0.75, 0.25]), None),
        "evaluated_at": stamp("evaluate", 5), "published_at": stamp("publish", 6),
        "withdrawn_at": pd.Series(at["sign"]).where(state == "withdrawn"), "is_demo": True, "created_at": filed,
    })
    frame.loc[state == "withdrawn", ["lead_unit_id", "assigned_at", "deadline"]] = [pd.NA, pd.NaT, pd.NaT]
    history = [pd.DataFrame({"proposal_id": ids, "at": filed, "actor": "合成工作人员", "action": "file",
                             "from_state": None, "to_state": "submitted", "note": NOTE})]
    prev = np.full(n, "submitted", dtype=object)
    to_state = dict(zip(steps, ["assigned", "signed", "handling", "answered", "evaluated", "published"]))
    for k, step in enumerate(steps, start=1):
        done = depth >= k
        history.append(pd.DataFrame({"proposal_id": ids[done], "at": at[step][done], "actor": "合成工作人员",
                                     "action": step, "from_state": prev[done], "to_state": to_state[step], "note": NOTE}))
        prev = np.where(done, to_state[step], prev)
    gone = state == "withdrawn"
    history.append(pd.DataFrame({"proposal_id": ids[gone], "at": at["sign"][gone], "actor": "合成代表",
                                 "action": "withdraw", "from_state": "assigned", "to_state": "withdrawn", "note": NOTE}))
    handled = depth >= 3
    contacts = pd.DataFrame({"proposal_id": ids[handled], "contacted_on": at["handle"][handled].date, "method": "phone",
                             "summary": NOTE, "unit_id": lead_unit[handled], "author_name": "合成承办人",
                             "at": at["handle"][handled]})
    answered = depth >= 4
    answers = pd.DataFrame({"proposal_id": ids[answered], "answer_class": answer_class[answered], "text": NOTE,
                            "unit_id": lead_unit[answered], "author_name": "合成承办人", "follow_up": False,
                            "at": at["answer"][answered]})
    per = rng.integers(1, 4, n) * handled
    owner = np.repeat(ids, per)
    kinds = rng.choice(["greenway", "steps", "leisure_platform", "waterside_platform", "landscaping"], len(owner))
    progress = rng.integers(0, 101, len(owner))
    km = np.repeat(km_from, per) + rng.uniform(0, 0.3, len(owner))
    results = pd.DataFrame({"proposal_id": owner, "kind": kinds, "title": NOTE, "progress": progress,
                            "status": np.where(progress == 100, "done", np.where(progress > 0, "in_progress", "planned")),
                            "weight": rng.choice([1.0, 2.0, 3.0], len(owner)), "river_km": km.round(3),
                            "created_at": np.repeat(at["handle"], per)})
    by_km = reports.sort_values("river_km")
    picks = np.searchsorted(by_km.river_km.to_numpy(), np.repeat(km_from, 3)) + rng.integers(0, 50, 3 * n)
    links = pd.DataFrame({"proposal_id": np.repeat(ids, 3),
                          "report_id": by_km.id.to_numpy()[np.minimum(picks, len(by_km) - 1)],
                          "linked_at": np.repeat(filed, 3)}).drop_duplicates(["proposal_id", "report_id"])
    bulk.load(engine, "proposals", frame)
    bulk.load(engine, "proposal_history", pd.concat(history, ignore_index=True).sort_values(["proposal_id", "at"]))
    bulk.load(engine, "proposal_contacts", contacts)
    bulk.load(engine, "proposal_answers", answers)
    bulk.load(engine, "proposal_results", results)
    bulk.load(engine, "proposal_reports", links)
    return n


def _cleanups(engine: Engine, rng: np.random.Generator, reports: pd.DataFrame, village_of: dict[str, int], n: int,
              reach_km: float, now) -> tuple[int, int]:
    """Clean-up days over five years (all reported but the next few), each with seated sign-ups,
    attendance, results, item tallies and the reports it cleared."""
    first = bulk.next_id(engine, "cleanups")
    ids = np.arange(first, first + n)
    starts = now - _days(np.sort(rng.uniform(-14, YEARS * 365, n))[::-1])
    past = starts < now
    capacity = rng.integers(20, 61, n)
    km_from = rng.uniform(0, reach_km - 0.5, n).round(2)
    seated = np.minimum(capacity, rng.integers(8, 40, n))
    participants = (seated * rng.uniform(0.75, 1.0, n)).astype(int)
    kg = (participants * rng.uniform(2, 8, n)).round(1)
    frame = pd.DataFrame({
        "id": ids, "title": [f"{NOTE}清溪第{k:.1f}公里段清理" for k in km_from], "starts_at": starts,
        "ends_at": starts + pd.Timedelta(hours=3), "meeting_km": km_from, "meeting_lon": 121.4, "meeting_lat": 29.15,
        "km_from": km_from, "km_to": (km_from + 0.5).round(2), "capacity": capacity, "reserved": 0,
        "seats_taken": seated, "state": np.where(past, "reported", "published"),
        "participants": pd.array(np.where(past, participants, None), dtype="Int64"),
        "hours": np.where(past, participants * 3.0, np.nan),
        "bags": pd.array(np.where(past, (kg / 4).astype(int), None), dtype="Int64"),
        "kg": np.where(past, kg, np.nan), "km_covered": np.where(past, 0.5, np.nan),
        "results_at": pd.Series(starts + pd.Timedelta(hours=4)).where(past), "is_demo": True,
        "created_at": starts - pd.Timedelta(days=14),
    })
    owner = np.repeat(ids, seated)
    attended = rng.random(len(owner)) < np.repeat(participants / seated, seated)
    first_signup = bulk.next_id(engine, "cleanup_signups")
    signup_ids = np.arange(first_signup, first_signup + len(owner))
    villages = np.array(list(village_of.values()))
    signups = pd.DataFrame({
        "id": signup_ids, "cleanup_id": owner, "code": [_code(10**7 + i) for i in signup_ids], "name": "合成志愿者",
        "phone": [f"136{i % 10**8:08d}" for i in signup_ids], "village_id": rng.choice(villages, len(owner)),
        "companions": 0, "seats": 1, "group_seats": 0, "status": "seated",
        "attendance": np.where(np.repeat(past, seated), np.where(attended, "attended", "no_show"), "unknown"),
        "walk_in": False, "created_at": np.repeat(starts - pd.Timedelta(days=7), seated),
    })
    items = pd.DataFrame({"cleanup_id": np.repeat(ids[past], 3),
                          "item": np.tile(["plastic_bottles", "plastic_bags", "foam"], past.sum()),
                          "count": rng.integers(5, 200, 3 * past.sum())})
    by_km = reports[reports.state == "fixed"].sort_values("river_km")  # cleared: fixed since
    picks = np.searchsorted(by_km.river_km.to_numpy(), np.repeat(km_from[past], 2)) + rng.integers(0, 20, 2 * past.sum())
    cleared = pd.DataFrame({"cleanup_id": np.repeat(ids[past], 2),
                            "report_id": by_km.id.to_numpy()[np.minimum(picks, len(by_km) - 1)],
                            "attached_at": np.repeat(starts[past] - pd.Timedelta(days=10), 2),
                            "cleaned_by_volunteers": True,
                            "cleaned_at": np.repeat(starts[past] + pd.Timedelta(hours=3), 2)}
                           ).drop_duplicates(["cleanup_id", "report_id"])
    bulk.load(engine, "cleanups", frame)
    bulk.load(engine, "cleanup_signups", signups)
    bulk.load(engine, "cleanup_items", items)
    bulk.load(engine, "cleanup_reports", cleared)
    return n, len(signups)


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
                                       "step": state.value, "at": at.clip(upper=now).to_numpy(),
                                       "actor": "合成工作人员" if prev else "", "note": NOTE if prev else "", "public": True}))
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
