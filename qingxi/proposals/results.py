"""What a proposal achieves on the river: results (what is built or done: a kind, a weight, a
place on the river, photos) and their dated milestones (progress 0–100, status, note, photos).
The proposal's progress is the weighted roll-up of its results (rules.rollup, and the register's
SQL sum). A handler of an assigned unit or staff record them, in any state from assigned on."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import proposals_queries as q
from db.models import RESULT_KINDS, RESULT_STATUSES, ProposalResult, ResultUpdate
from qingxi.core import places
from qingxi.core.acting import acting, snap
from qingxi.proposals import checks
from qingxi.proposals.acts import on_proposal
from qingxi.proposals.checks import MAX_TITLE, ProposalError
from qingxi.proposals.files import staged_photos
from qingxi.proposals.rules import local_day

WATCHED = ("progress", "status", "weight")


def _place(session: Session, river_km, lon, lat) -> tuple[float | None, float | None, float | None]:
    """Fill in whichever of river km / lon-lat is missing from the river model: a river_km without
    lon/lat is placed on the river; lon/lat without river_km gets its km."""
    if river_km is None and lon is None and lat is None:
        return None, None, None
    river = places.model(session)
    if river_km is not None:
        if not isinstance(river_km, (int, float)) or not 0 <= river_km <= river.length_m / 1000 + 1e-6:
            raise ProposalError("bad_place")
        if lon is None or lat is None:
            lon, lat = river.point_at_km(float(river_km))
        return float(river_km), float(lon), float(lat)
    if lon is None or lat is None:
        raise ProposalError("bad_place")
    found = river.locate_one(float(lon), float(lat))
    return found.river_km, float(lon), float(lat)


def add_result(engine: Engine, user, proposal_id: int, kind: str, title: str, *, weight: float = 1.0,
               progress: int = 0, status: str = "planned", river_km: float | None = None,
               lon: float | None = None, lat: float | None = None, photos: Sequence[bytes] = (),
               now: datetime | None = None, photo_dir: Path | None = None) -> int:
    """A result of the proposal (what is built or done), by a handler of an assigned unit or staff."""
    checks.one_of(kind, RESULT_KINDS, "bad_kind")
    checks.one_of(status, RESULT_STATUSES, "bad_status")
    title = checks.text(title, most=MAX_TITLE)
    progress, weight = checks.progress(progress), checks.weight(weight)
    with staged_photos(photos, photo_dir) as pictures, on_proposal(engine, user, proposal_id, "result", now) as c:
        river_km, lon, lat = _place(c.session, river_km, lon, lat)
        row = ProposalResult(proposal_id=c.proposal.id, kind=kind, title=title, status=status, progress=progress,
                             weight=weight, river_km=river_km, lon=lon, lat=lat, created_at=c.at, updated_at=c.at,
                             photos=pictures)
        row.updates.append(ResultUpdate(happened_on=local_day(c.at), progress=progress, status=status, note="",
                                        author_id=c.actor.id, author_name=c.actor.display_name, at=c.at))
        q.add(c.session, row)
        c.audit("proposal.result_add", {},
                {"proposal_id": c.proposal.id, "kind": kind, "progress": progress, "weight": weight},
                entity="proposal_result", entity_id=row.id)
        return row.id


def update_result(engine: Engine, user, result_id: int, progress: int, status: str | None = None, note: str = "",
                  happened_on: date | None = None, photos: Sequence[bytes] = (), weight: float | None = None,
                  now: datetime | None = None, photo_dir: Path | None = None) -> int:
    """A dated milestone: new progress (0–100), optionally a new status and weight, a note, photos.
    Returns the milestone's id."""
    progress = checks.progress(progress)
    if status is not None:
        checks.one_of(status, RESULT_STATUSES, "bad_status")
    if weight is not None:
        weight = checks.weight(weight)
    note = checks.text(note, required=False)
    with acting(engine, user, "proposal.result") as c:  # which proposal: its rules decide
        found = q.result(c.session, result_id)
        if found is None:
            raise ProposalError("not_found")
        proposal_id = found.proposal_id
    with staged_photos(photos, photo_dir) as pictures, on_proposal(engine, user, proposal_id, "result", now) as c:
        row = q.result(c.session, result_id)
        if row is None or row.proposal_id != proposal_id:
            raise ProposalError("not_found")
        day = happened_on or local_day(c.at)
        if day > local_day(c.at):
            raise ProposalError("bad_date")
        before = snap(row, *WATCHED)
        status = status or ("done" if progress == 100 else "in_progress" if progress > 0 else row.status)
        row.progress, row.status, row.updated_at = progress, status, c.at
        if weight is not None:
            row.weight = weight
        row.photos.extend(pictures)
        update = ResultUpdate(happened_on=day, progress=progress, status=status, note=note, author_id=c.actor.id,
                              author_name=c.actor.display_name, at=c.at)
        row.updates.append(update)
        c.session.flush()
        c.audit("proposal.result_update", before, snap(row, *WATCHED), note,
                entity="proposal_result", entity_id=row.id)
        return update.id
