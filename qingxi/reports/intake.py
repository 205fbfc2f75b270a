"""Report intake: where a report lands, which open reports it may duplicate, and filing it so
that the row and its photo files exist together or not at all."""
from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import places_queries, reports_queries
from db.engine import session_scope, write_scope
from db.models import Observation, Photo, Report, StatusChange
from qingxi.core import codes, limits, outbox, photos, places
from qingxi.core.refusals import Refusal
from qingxi.core.settings import current as settings
from qingxi.reports import clocks
from qingxi.reports.states import CATEGORIES, OPEN_STATES, SIZED_CATEGORIES, SIZES, State

MAX_PHOTOS = 3
VISIBILITIES = ("staff", "anonymous", "public")
OBSERVATIONS = ("still", "more", "less", "cleaned")
SOURCES = ("gps", "browser", "map", "village")
MAX_TEXT = 500


class IntakeError(Refusal):
    """A problem the person can fix; `key` names the message (intake.error.<key>)."""

    area = "report"


@dataclass(frozen=True)
class Place:
    """Where a report would land, as the person sees it before sending."""

    lon: float
    lat: float
    source: str
    river_km: float | None
    distance_m: float
    bank: str
    village_code: str
    problem: str | None  # None, "zero" (GPS 0/0), "outside_area", "far" (beyond the service distance)


@dataclass(frozen=True)
class Nearby:
    id: int
    category: str
    state: str
    distance_m: float
    supporters: int
    thumb_name: str | None
    created_at: object


@dataclass
class Submission:
    photos: list[bytes]
    category: str
    place: Place | None
    size: str | None = None
    cleaned: bool = False
    description: str = ""
    name: str = ""
    phone: str = ""
    visibility: str = "staff"
    accept_problem: bool = False  # the person was told the place looks wrong and sends it anyway
    hear_back: bool = False  # send progress to the phone given (qingxi.notify, when a channel for people exists)


@dataclass(frozen=True)
class Receipt:
    code: str | None  # None: the photos were someone else's report, and this counted as a "me too"
    again: bool  # these photos were already filed by the same person: this is that report's code

    @property
    def joined(self) -> bool:
        return self.code is None


def place(session: Session, lon: float, lat: float, source: str) -> Place:
    if source not in SOURCES:
        raise ValueError(source)
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise IntakeError("no_location")
    where = places.model(session).locate_one(lon, lat)
    west, south, east, north = settings().area
    if abs(lon) < 1e-6 and abs(lat) < 1e-6:
        problem = "zero"
    elif not (west <= lon <= east and south <= lat <= north):
        problem = "outside_area"
    elif not where.in_service:
        problem = "far"
    else:
        problem = None
    return Place(lon, lat, source, where.river_km, where.distance_m, where.bank, where.village_code, problem)


def village_place(session: Session, code: str) -> Place:
    village = next((v for v in places_queries.villages(session) if v.code == code), None)
    if village is None:
        raise IntakeError("unknown_village")
    return place(session, village.lon, village.lat, "village")


def nearby(session: Session, category: str, where: Place, radius_m: float | None = None) -> list[Nearby]:
    """Open reports of the same category within the duplicate radius, nearest first."""
    radius = settings().duplicate_radius_m if radius_m is None else radius_m
    dlat = radius / 111_320
    dlon = dlat / max(math.cos(math.radians(where.lat)), 0.01)
    box = (where.lon - dlon, where.lat - dlat, where.lon + dlon, where.lat + dlat)
    found = []
    for r in reports_queries.reports_in_box(session, category, [s.value for s in OPEN_STATES], box):
        d = _metres(where.lon, where.lat, r.lon, r.lat)
        if d <= radius:
            thumb = next((p.thumb_name for p in r.photos if p.kind == "report" and not p.hidden), None)
            found.append(Nearby(r.id, r.category, r.state, d, r.supporters, thumb, r.created_at))
    return sorted(found, key=lambda n: n.distance_m)


def _metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Haversine: ample for a 250 m radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(a))


def check(sub: Submission) -> None:
    """Everything that can be refused before any photo is decoded or stored."""
    if not sub.photos:
        raise IntakeError("no_photo")
    if len(sub.photos) > MAX_PHOTOS:
        raise IntakeError("too_many_photos", most=MAX_PHOTOS)
    if sub.category not in CATEGORIES:
        raise IntakeError("no_category")
    if sub.size is not None and (sub.category not in SIZED_CATEGORIES or sub.size not in SIZES):
        raise IntakeError("bad_size")
    if sub.visibility not in VISIBILITIES:
        raise IntakeError("bad_visibility")
    if sub.place is None:
        raise IntakeError("no_location")
    if sub.place.problem and not sub.accept_problem:
        raise IntakeError(f"place_{sub.place.problem}")
    if len(sub.description) > MAX_TEXT:
        raise IntakeError("text_too_long", most=MAX_TEXT)
    if sub.visibility != "anonymous":
        if len(sub.name.strip()) > places.MAX_NAME:
            raise IntakeError("name_too_long", most=places.MAX_NAME)
        if sub.phone.strip() and not places.phone_ok(sub.phone):
            raise IntakeError("bad_phone")
        if sub.visibility == "public" and not sub.name.strip():
            raise IntakeError("public_needs_name")


def submit(engine: Engine, sub: Submission, photo_dir: Path | None = None, *,
           who: limits.Person | None = None) -> Receipt:
    """File a report. Refusals raise IntakeError, photos.PhotoError or limits.LimitError with nothing
    stored. `who` is the person filing from a page (their filings are limited); None for trusted
    callers (demo data, imports, tests)."""
    check(sub)
    with _limited(engine, sub, who):
        return _submit(engine, sub, photo_dir, who)


def _limited(engine: Engine, sub: Submission, who: limits.Person | None):
    if who is None:
        return nullcontext()
    phone = places.normalise_phone(sub.phone) if sub.visibility != "anonymous" else ""
    return limits.spending(engine, "report.file", replace(who, phone=phone or None))


def _submit(engine: Engine, sub: Submission, photo_dir: Path | None, who: limits.Person | None) -> Receipt:
    """The same photos sent again (a double tap, a photo forwarded in a chat group "as original") are
    found by their bytes. Only whoever filed them gets that report's code back (a page's browser
    session, or a trusted caller); anyone else adds a "me too" to it while it is open, or files a new
    report once it is not — never learning another person's code. One lock per photo makes two
    simultaneous sends of the same bytes one report."""
    prepared = [photos.prepare(data) for data in sub.photos]
    hashes = [p.sha256 for p in prepared]
    if len(set(hashes)) < len(hashes):
        raise IntakeError("same_photo_twice")
    filer = _filer(who)
    with photos.staging(photo_dir) as stage, write_scope(engine) as s:
        reports_queries.lock_photos(s, hashes)
        if (earlier := reports_queries.report_by_photo(s, hashes)) is not None:
            if who is None or (filer is not None and earlier.filed_by == filer):
                return Receipt(earlier.code, again=True)
            if not earlier.hidden and State(earlier.state) in OPEN_STATES:
                reports_queries.add_supporter(s, earlier.id)
                s.add(Observation(report_id=earlier.id, kind=None))
                return Receipt(None, again=False)
        report = _report(s, sub, [stage.photo(p) for p in prepared])
        report.filed_by = filer
        s.add(report)
        outbox.report_event(s, "report.urgent" if report.priority == "urgent" else "report.new", report)
    return Receipt(report.code, again=False)


def _filer(who: limits.Person | None) -> str | None:
    return hashlib.sha256(f"filed-by|{who.session}".encode()).hexdigest() if who and who.session else None


def _report(s: Session, sub: Submission, staged: list[photos.Staged]) -> Report:
    where = sub.place
    anonymous = sub.visibility == "anonymous"
    code = codes.new_code()
    while reports_queries.code_taken(s, code):
        code = codes.new_code()
    report = Report(
        code=code, category=sub.category, size=sub.size, cleaned_by_reporter=sub.cleaned,
        description=sub.description.strip(), lon=where.lon, lat=where.lat, location_source=where.source,
        river_version_id=places_queries.current_river(s).id, river_km=where.river_km, distance_m=where.distance_m,
        bank=where.bank, village_id=places_queries.village_id(s, where.village_code),
        off_river=where.problem is not None,
        reporter_name=None if anonymous else (sub.name.strip() or None),
        reporter_phone=None if anonymous else (places.normalise_phone(sub.phone) or None),
        visibility=sub.visibility, state=State.SUBMITTED.value, priority=clocks.default_priority(sub.category),
        hear_back=bool(sub.hear_back and not anonymous and places.normalise_phone(sub.phone)),
    )
    report.photos = [Photo(kind="report", **f.columns()) for f in staged]
    report.history = [StatusChange(to_state=State.SUBMITTED.value, step=State.SUBMITTED.value)]
    return report


@contextmanager
def new_photo(data: bytes | None, kind: str, folder: Path | None = None) -> Iterator[Photo | None]:
    """A photo row for a transaction run inside the block; its files go if the block fails."""
    with photos.staged([data] if data else [], folder) as staged:
        yield Photo(kind=kind, **staged[0].columns()) if staged else None


def support(engine: Engine, report_id: int, kind: str | None = None, photo: bytes | None = None,
            photo_dir: Path | None = None, *, who: limits.Person | None = None) -> None:
    """ "Me too": count one more supporter, optionally with how it looks now and a photo. `who` (from
    a page): once per browser for a report, a few per address; None for trusted callers."""
    if kind is not None and kind not in OBSERVATIONS:
        raise IntakeError("bad_observation")
    spent = limits.spending(engine, "report.support", who, subject=report_id) if who else nullcontext()
    with spent, new_photo(photo, "observation", photo_dir) as picture, session_scope(engine) as s:
        report = s.get(Report, report_id)
        if report is None or report.hidden or State(report.state) not in OPEN_STATES:
            raise IntakeError("not_open")
        reports_queries.add_supporter(s, report_id)
        observation = Observation(report_id=report_id, kind=kind)
        if picture:
            report.photos.append(picture)
            s.flush()
            observation.photo_id = picture.id
        s.add(observation)


def km_point(session: Session, km: float) -> tuple[float, float]:
    river = places.model(session)
    if not (math.isfinite(km) and 0 <= km * 1000 <= river.length_m):
        raise IntakeError("bad_km")
    lon, lat = river.point_at_km(km)
    return float(lon), float(lat)
