"""Results: what a done event achieved (numbers, item tallies, before/after photos), publishing them,
and closing the reports the volunteers cleared. Permission cleanup.results.

Closing reports through an event: mark_cleaned moves each attached open report to fixed with
qingxi.reports.move and a public note naming the event (so its status page shows it), one audit
entry per report (under the report); the link row keeps cleaned_by_volunteers and cleaned_at.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from db import cleanups_queries as q
from db.models import Cleanup, CleanupItem, CleanupPhoto
from qingxi.cleanups.rules import (
    FINISHED,
    ITEM_TYPES,
    MAX_PHOTOS,
    CleanupError,
    Staffed,
    in_state,
    local,
    staffed,
    transition,
)
from qingxi.cleanups.shapes import Results
from qingxi.core import photos
from qingxi.core.acting import acting, snap
from qingxi.core.i18n import t
from qingxi.reports import OPEN_STATES, State, move

_LIMITS = {"participants": 10_000, "hours": 100_000, "bags": 100_000, "kg": 1_000_000}
_REPORT_FIELDS = ("state", "fixed_at", "closed_at")


def _check_results(r: Results, ev: Cleanup) -> dict:
    def number(name: str, value, high: float, *, whole: bool) -> float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        if not ok or value < 0 or value > high or (whole and not float(value).is_integer()):
            raise CleanupError("negative_kg" if name == "kg" and ok and value < 0 else f"bad_{name}", most=high)
        return int(value) if whole else float(value)
    section = ev.km_to - ev.km_from
    cols = dict(participants=number("participants", r.participants, _LIMITS["participants"], whole=True),
                hours=number("hours", r.hours, _LIMITS["hours"], whole=False),
                bags=number("bags", r.bags, _LIMITS["bags"], whole=True),
                kg=number("kg", r.kg, _LIMITS["kg"], whole=False),
                km_covered=number("km_covered", r.km_covered, round(section, 3) + 1e-6, whole=False))
    for item, n in (r.items or {}).items():
        if item not in ITEM_TYPES:
            raise CleanupError("bad_item", item=item)
        number("item_count", n, 1_000_000, whole=True)
    return cols


def record_results(engine: Engine, user, cleanup_id: int, results: Results, before: Sequence[bytes] = (),
                   after: Sequence[bytes] = (), *, photo_dir: Path | None = None, now: datetime | None = None) -> None:
    """Store (or correct) a done event's results, item tallies and before/after photos (added to
    any stored earlier). Photos are re-encoded without metadata; refused photos raise PhotoError."""
    if len(before) + len(after) > MAX_PHOTOS:
        raise CleanupError("too_many_photos", most=MAX_PHOTOS)
    with acting(engine, user, "cleanup.results"):
        pass  # the role first: no photo is decoded for someone who may not record results
    kinds = ["before"] * len(before) + ["after"] * len(after)
    with photos.staged([*before, *after], photo_dir) as staged, \
            staffed(engine, user, cleanup_id, "cleanup.results", now) as c:
        ev = c.cleanup
        in_state(ev, *FINISHED)
        cols = _check_results(results, ev)
        fields = (*cols, "results_at")
        old = snap(ev, *fields) | {"items": {i.item: i.count for i in ev.items}}
        for key, value in cols.items():
            setattr(ev, key, value)
        ev.results_at = ev.updated_at = c.at
        ev.items = [CleanupItem(item=i, count=int(n)) for i, n in sorted((results.items or {}).items()) if n]
        ev.photos.extend(CleanupPhoto(kind=kind, created_at=c.at, **f.columns()) for kind, f in zip(kinds, staged))
        c.session.flush()
        c.audit("cleanup.results", old, snap(ev, *fields) | {
            "items": {i.item: i.count for i in ev.items}, "photos_added": len(staged)})


def publish_results(engine: Engine, user, cleanup_id: int, *, now: datetime | None = None) -> None:
    """done → reported: the results are public on the event's summary."""
    def recorded(c: Staffed) -> None:
        if c.cleanup.results_at is None:
            raise CleanupError("no_results")
    transition(engine, user, cleanup_id, now, "reported", "done", check=recorded)


def cleaned_note(title: str, day: str) -> str:
    """The public timeline note on a report the volunteers cleared (both languages: notes are stored once)."""
    return " / ".join(t("cleanups.cleaned_note", lang, title=title, date=day) for lang in ("zh", "en"))


def mark_cleaned(engine: Engine, user, cleanup_id: int, report_ids: Iterable[int], *,
                 now: datetime | None = None) -> int:
    """Attached open reports the volunteers cleared → fixed (public note naming the event, one
    audit entry per report, the link marked cleaned_by_volunteers)."""
    ids = list(dict.fromkeys(report_ids))
    if not ids:
        raise CleanupError("no_reports")
    with staffed(engine, user, cleanup_id, "cleanup.results", now) as c:
        ev = c.cleanup
        in_state(ev, *FINISHED)
        linked = {link.report_id: (link, report) for link, report in q.links(c.session, ev.id)}
        for i in ids:
            if i not in linked:
                raise CleanupError("report_not_attached", report=i)
            link, report = linked[i]
            if link.cleaned_by_volunteers:
                raise CleanupError("already_cleaned", report=i)
            if report.hidden or State(report.state) not in OPEN_STATES:
                raise CleanupError("report_not_open", report=i)
        note = cleaned_note(ev.title, local(ev.starts_at).strftime("%Y-%m-%d"))
        for i in ids:
            link, _ = linked[i]
            report = q.report(c.session, i)
            before = snap(report, *_REPORT_FIELDS)
            change = move(report, State.FIXED, actor=c.actor.display_name, note=note, public=True, at=c.at,
                          step="cleaned")
            change.user_id = c.actor.id
            link.cleaned_by_volunteers, link.cleaned_at = True, c.at
            c.audit("report.cleaned_by_volunteers", before, snap(report, *_REPORT_FIELDS) | {"cleanup_id": ev.id},
                    note, entity="report", entity_id=i)
        return len(ids)

