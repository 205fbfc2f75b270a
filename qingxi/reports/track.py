"""The reporter's side of the loop: what happened to my report, and my word on the outcome.

Whoever holds the tracking code may act on the report (the code is never shown publicly). The
timeline is every public step and every public word, oldest first, each entry named by the step
it records (db.models.StatusChange.step) so the page can say it in plain words."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from db import reports_queries
from db.engine import session_scope
from db.models import StatusChange
from qingxi.core import codes
from qingxi.core.acting import Act, acting, snap
from qingxi.core.settings import current as settings
from qingxi.reports import clocks
from qingxi.reports.intake import MAX_TEXT, IntakeError, new_photo
from qingxi.reports.states import Kind, State, kind_of, move

RATINGS = ("satisfied", "basically", "unsatisfied")  # 满意 / 基本满意 / 不满意
REPORTER = "reporter"
STATUS_PATH = "track"  # the status page's url_path: printed in QR codes, so it never changes


CONFIRMABLE = (State.RESOLVED, State.FIXED)  # staff (or the unit) have said it is done


@dataclass(frozen=True)
class Entry:
    at: datetime
    state: str
    note: str
    by_reporter: bool
    step: str  # what happened: a state reached, or on_site, reply, confirmed, still_there ...


@dataclass(frozen=True)
class Taken:
    """When one of the report's photos was taken, as its EXIF said (see qingxi.capture)."""

    name: str
    at: datetime | None


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
    photos: list[Taken]        # public copies of the report's photos
    after_photos: list[Taken]  # public copies of the handler's after-photos
    rating: str | None
    confirmed_fixed_at: datetime | None

    @property
    def can_confirm(self) -> bool:
        """Only once staff or the handling unit have said it is done: never on an untouched report."""
        return self.confirmed_fixed_at is None and self.state in CONFIRMABLE

    @property
    def can_rate(self) -> bool:
        return self.kind != Kind.OPEN


def status_url(code: str, base: str | None = None) -> str:
    """The report's status page; `base` is the portal's address (a page passes the one it was
    reached at), else QINGXI_PUBLIC_URL."""
    return f"{base or settings().public_url}/{STATUS_PATH}?code={code}"


@dataclass(frozen=True)
class Promise:
    """What happens next to a report, as the response clocks promise it (seconds from filing)."""
    priority: str
    sign: int      # signed for by staff within
    dispatch: int  # handed to the unit that fixes it within
    resolve: int   # dealt with within


def promise(engine: Engine, code: str) -> Promise | None:
    """The targets for this report's priority (the admin's, else the defaults)."""
    with session_scope(engine) as s:
        r = reports_queries.report_by_code(s, codes.normalise(code))
        if r is None:
            return None
        goal = clocks.targets(s)[r.priority]
        return Promise(r.priority, goal["sign"], goal["dispatch"], goal["resolve"])


def status(engine: Engine, code: str) -> Status | None:
    with session_scope(engine) as s:
        r = reports_queries.report_by_code(s, codes.normalise(code))
        if r is None or r.hidden:
            return None
        visible = [p for p in r.photos if not p.hidden]
        return Status(
            code=r.code, category=r.category, state=r.state, kind=kind_of(r.state).value,
            created_at=r.created_at, village=r.village.name if r.village else None, river_km=r.river_km,
            bank=r.bank, supporters=r.supporters,
            public_name=r.reporter_name if r.visibility == "public" else None,
            description=r.description,
            timeline=[Entry(h.at, h.to_state, h.note, h.actor == REPORTER, h.step) for h in r.history if h.public],
            photos=[Taken(p.public_name, p.taken_at) for p in visible if p.kind == "report"],
            after_photos=[Taken(p.public_name, p.taken_at) for p in visible if p.kind == "after"],
            rating=r.rating, confirmed_fixed_at=r.confirmed_fixed_at,
        )


def confirm_fixed(engine: Engine, code: str) -> None:
    """The reporter agrees it is fixed, once staff or the unit said so. A resolved report stays with
    staff for their check (the reporter's word is on its timeline for them); a fixed one is confirmed."""
    with _as_reporter(engine, code) as c:
        r = c.report
        if r.state not in CONFIRMABLE:
            raise IntakeError("cannot_confirm_closed" if kind_of(r.state) is Kind.CLOSED else "confirm_when_done")
        if r.confirmed_fixed_at is not None:
            raise IntakeError("already_confirmed")
        r.confirmed_fixed_at = c.at
        r.history.append(StatusChange(from_state=r.state, to_state=r.state, actor=REPORTER, step="confirmed",
                                      at=c.at))
        c.audit("reporter.confirm_fixed", {"confirmed_fixed_at": None}, snap(r, "confirmed_fixed_at"))


def still_there(engine: Engine, code: str, comment: str, photo: bytes | None = None,
                photo_dir: Path | None = None) -> None:
    """The reporter says the problem is still there: a fixed or closed report reopens."""
    comment = comment.strip()
    if not comment:
        raise IntakeError("comment_needed")
    if len(comment) > MAX_TEXT:
        raise IntakeError("text_too_long", most=MAX_TEXT)
    with new_photo(photo, "observation", photo_dir) as picture, _as_reporter(engine, code) as c:
        r = c.report
        before = snap(r, "state", "confirmed_fixed_at", "closed_at")
        if kind_of(r.state) is Kind.OPEN:
            r.history.append(StatusChange(from_state=r.state, to_state=r.state, actor=REPORTER, note=comment,
                                          step="still_there", at=c.at))
        else:
            move(r, State.REOPENED, actor=REPORTER, note=comment, step="still_there", at=c.at)
        r.confirmed_fixed_at = None
        if picture:
            r.photos.append(picture)
        c.audit("reporter.still_there", before, snap(r, "state", "confirmed_fixed_at", "closed_at"))


def rate(engine: Engine, code: str, rating: str) -> None:
    if rating not in RATINGS:
        raise IntakeError("bad_rating")
    with _as_reporter(engine, code) as c:
        if kind_of(c.report.state) is Kind.OPEN:
            raise IntakeError("rate_when_done")
        before = snap(c.report, "rating")
        c.report.rating, c.report.rated_at = rating, c.at
        c.audit("reporter.rate", before, snap(c.report, "rating"))


class _Reporter(Act):
    """Whoever holds the tracking code. The audit log names no one (actor: none, reason: reporter)."""

    entity = "report"

    @property
    def report(self):
        return self.target

    def audit(self, action: str, before: dict, after: dict, reason: str = REPORTER, **kw) -> None:
        super().audit(action, before, after, reason, **kw)


@contextmanager
def _as_reporter(engine: Engine, code: str) -> Iterator[_Reporter]:
    """The report the code opens, acted on as its reporter — never as whoever is signed in: a
    code is the reporter's key, and staff never see it."""
    with acting(engine, None, None, context=_Reporter) as c:
        c.target = reports_queries.report_by_code(c.session, codes.normalise(code))
        if c.target is None or c.target.hidden:
            raise IntakeError("unknown_code")
        yield c
