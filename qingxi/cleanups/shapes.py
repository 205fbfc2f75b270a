"""The shapes handed to pages: a plan as staff type it, an event as a reader may see it, a sign-up's
receipt and status, check-in, the roster, results and the numbers. Frozen dataclasses, no logic
beyond a few derived counts."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Plan:
    title: str
    starts_at: datetime
    ends_at: datetime
    km_from: float
    km_to: float
    capacity: int
    meeting_village_code: str | None = None
    meeting_km: float | None = None
    reserved: dict[str, int] = field(default_factory=dict)  # group name → seats
    equipment: Sequence[str] = ()
    leader_name: str = ""
    leader_contact: str = ""  # private: staff only
    notes: str = ""


@dataclass(frozen=True)
class GroupSeats:
    id: int
    name: str
    seats: int
    taken: int


@dataclass(frozen=True)
class AttachedReport:
    id: int  # the report id (never its tracking code: that is the reporter's key)
    category: str
    state: str
    river_km: float | None
    cleaned_by_volunteers: bool


@dataclass(frozen=True)
class Results:
    participants: int
    hours: float
    bags: int
    kg: float
    km_covered: float
    items: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    id: int
    title: str
    state: str
    starts_at: datetime
    ends_at: datetime
    meeting_village: str | None  # village name, or None for a river-km marker
    meeting_km: float | None
    meeting_lon: float
    meeting_lat: float
    km_from: float
    km_to: float
    capacity: int
    public_capacity: int
    public_taken: int
    groups: list[GroupSeats]
    waitlisted: int
    walk_ins: int  # seats
    checked_in: int  # seats
    equipment: list[str]
    leader_name: str
    leader_contact: str | None  # None unless the reader is staff
    notes: str
    cancel_message: str
    results: Results | None
    before_photos: list[str]  # public copies (content-addressed names in settings.photo_dir)
    after_photos: list[str]
    reports: list[AttachedReport]
    is_demo: bool

    @property
    def public_left(self) -> int:
        return max(self.public_capacity - self.public_taken, 0)

    @property
    def seats_taken(self) -> int:
        return self.public_taken + sum(g.taken for g in self.groups)


@dataclass(frozen=True)
class Section:
    index: int
    km_from: float
    km_to: float
    score: float
    reports: int
    supporters: int
    by_category: dict[str, int]
    lon: float  # the section's middle on the river, for the map
    lat: float


@dataclass(frozen=True)
class Receipt:
    code: str
    status: str  # "seated" | "waitlisted"
    position: int | None  # place on the waitlist (1 = next), None when seated


@dataclass(frozen=True)
class SignupStatus:
    code: str
    event: Event  # the public view: no contact, no other sign-ups
    status: str  # seated | waitlisted | cancelled
    seats: int
    group: str | None
    position: int | None  # waitlist place, 1 = next
    promoted: bool
    promoted_at: datetime | None
    checked_in_at: datetime | None
    attendance: str
    event_cancelled: bool
    cancel_message: str  # the event's cancellation message ("" unless cancelled)
    can_cancel: bool


@dataclass(frozen=True)
class CheckIn:
    name: str
    seats: int
    group: str | None


@dataclass(frozen=True)
class RosterRow:
    id: int
    code: str
    name: str
    phone: str | None
    village: str | None
    group: str | None
    companions: int
    seats: int
    status: str
    position: int | None
    attendance: str
    checked_in_at: datetime | None
    walk_in: bool
    promoted_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class Stats:
    events: int
    participants: int
    hours: float
    bags: int
    kg: float
    km_covered: float
    reports_cleaned: int
    attended: int
    no_show: int
    by_month: list[tuple[str, float, int, int]]  # (YYYY-MM local, kg, bags, events)
    by_village: list[tuple[str | None, int, float]]  # (village name or None, volunteers, hours)
    by_km: list[tuple[int, float, float, float | None]]  # (river km bucket, kg, km covered, kg per km)

    @property
    def attendance_rate(self) -> float | None:
        seen = self.attended + self.no_show
        return None if seen == 0 else self.attended / seen

    @property
    def kg_per_km(self) -> float | None:
        return None if not self.km_covered else self.kg / self.km_covered


@dataclass(frozen=True)
class CleanedBy:
    id: int
    title: str
    starts_at: datetime
