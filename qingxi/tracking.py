"""The reporter's side of the loop: what happened to my report, and my word on the outcome.

Whoever holds the tracking code may act on the report (the code is never shown publicly)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from db import repo
from db.engine import session_scope
from db.models import StatusChange, utcnow
from qingxi import codes
from qingxi.intake import MAX_TEXT, IntakeError, new_photo
from qingxi.reports import Kind, State, kind_of, move
from qingxi.settings import current as settings

RATINGS = ("satisfied", "basically", "unsatisfied")  # 满意 / 基本满意 / 不满意
REPORTER = "reporter"
STATUS_PATH = "track"  # the status page's url_path: printed in QR codes, so it never changes


@dataclass(frozen=True)
class Entry:
    at: datetime
    state: str
    note: str
    by_reporter: bool


@dataclass(frozen=True)
class Status:
    code: str
    category: str
    state: str
    kind: str
    created_at: datetime
    village: str | None
    river_km: float | None
    bank: str | None
    supporters: int
    public_name: str | None
    description: str
    timeline: list[Entry]
    photos: list[str]        # public copies of the report's photos
    after_photos: list[str]  # public copies of the handler's after-photos
    rating: str | None
    confirmed_fixed_at: datetime | None

    @property
    def can_confirm(self) -> bool:
        return self.confirmed_fixed_at is None and self.kind != Kind.CLOSED

    @property
    def can_rate(self) -> bool:
        return self.kind != Kind.OPEN


def status_url(code: str) -> str:
    return f"{settings().public_url}/{STATUS_PATH}?code={code}"


def status(engine: Engine, code: str) -> Status | None:
    with session_scope(engine) as s:
        r = repo.report_by_code(s, codes.normalise(code))
        if r is None or r.hidden:
            return None
        visible = [p for p in r.photos if not p.hidden]
        return Status(
            code=r.code, category=r.category, state=r.state, kind=kind_of(r.state).value,
            created_at=r.created_at, village=r.village.name if r.village else None, river_km=r.river_km,
            bank=r.bank, supporters=r.supporters,
            public_name=r.reporter_name if r.visibility == "public" else None,
            description=r.description,
            timeline=[Entry(h.at, h.to_state, h.note, h.actor == REPORTER) for h in r.history if h.public],
            photos=[p.public_name for p in visible if p.kind == "report"],
            after_photos=[p.public_name for p in visible if p.kind == "after"],
            rating=r.rating, confirmed_fixed_at=r.confirmed_fixed_at,
        )


def confirm_fixed(engine: Engine, code: str) -> None:
    """The reporter says it is fixed: an open report becomes fixed, a fixed one is confirmed."""
    with session_scope(engine) as s:
        r = _report(s, code)
        if kind_of(r.state) is Kind.CLOSED:
            raise IntakeError("cannot_confirm_closed")
        if kind_of(r.state) is Kind.OPEN:
            move(r, State.FIXED, actor=REPORTER, note="")
        r.confirmed_fixed_at = utcnow()


def still_there(engine: Engine, code: str, comment: str, photo: bytes | None = None,
                photo_dir: Path | None = None) -> None:
    """The reporter says the problem is still there: a fixed or closed report reopens."""
    comment = comment.strip()
    if not comment:
        raise IntakeError("comment_needed")
    if len(comment) > MAX_TEXT:
        raise IntakeError("text_too_long", most=MAX_TEXT)
    with new_photo(photo, "observation", photo_dir) as picture, session_scope(engine) as s:
        r = _report(s, code)
        if kind_of(r.state) is Kind.OPEN:
            r.history.append(StatusChange(from_state=r.state, to_state=r.state, actor=REPORTER, note=comment))
        else:
            move(r, State.REOPENED, actor=REPORTER, note=comment)
        r.confirmed_fixed_at = None
        if picture:
            r.photos.append(picture)


def rate(engine: Engine, code: str, rating: str) -> None:
    if rating not in RATINGS:
        raise IntakeError("bad_rating")
    with session_scope(engine) as s:
        r = _report(s, code)
        if kind_of(r.state) is Kind.OPEN:
            raise IntakeError("rate_when_done")
        r.rating, r.rated_at = rating, utcnow()


def _report(s, code: str):
    r = repo.report_by_code(s, codes.normalise(code))
    if r is None or r.hidden:
        raise IntakeError("unknown_code")
    return r
