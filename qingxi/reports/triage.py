"""The triage desk: the queue staff and handlers work from, the search, one report as the desk sees
it and the actions it offers. The commands themselves are in triage_actions and exported here, so
the desk is one module to its users.

The queue is paginated in SQL: the database orders the open, visible reports by the first clock
to run out (db.triage_queries.next_due: due times from the milestones, the priority's targets and
a dialect-aware epoch helper), so a page costs one indexed query however many reports are open;
only that page's clocks are worked out here. Computing the due time rather than storing it means
no transition, merge, priority change or target edit can leave a stale copy behind; the open
reports it runs over are few and come from ix_reports_work.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.orm import Session

from db import accounts_queries
from db import triage_queries as q
from db.models import StatusChange, utcnow
from db.triage_queries import QueueFilter, SearchFilter  # noqa: F401 - the desk's filters, for its page
from qingxi.core import permissions
from qingxi.core.acting import fresh_user
from qingxi.reports import clocks
from qingxi.reports.states import OPEN_STATES, State
from qingxi.reports.triage_actions import (  # noqa: F401 - the desk's commands, exported here
    MAX_NOTE,
    NOTES,
    PRIORITIES,
    VERIFIED_NOTE,
    DeskError,
    Template,
    apply_template,
    call_back,
    close_fixed,
    close_unfixed,
    dispatch,
    hide,
    hide_photo,
    merge,
    on_site,
    progress,
    redact,
    refer,
    reopen,
    reply,
    request_transfer,
    resolve,
    send_back,
    set_priority,
    sign,
    suggest_unit,
    verify,
)

PAGE_SIZE = 25       # desk queue and search
MAX_PAGE_SIZE = 200


# ---------------------------------------------------------------- the queue

@dataclass(frozen=True)
class QueueItem:
    """A report in the queue: never its tracking code, the reporter's key to act on it (/track)."""

    id: int
    category: str
    state: str
    priority: str
    village: str | None
    unit: str | None
    unit_id: int | None
    created_at: datetime
    supporters: int
    off_river: bool
    verified: bool
    clocks: list[clocks.Clock]
    next_due: datetime | None


@dataclass(frozen=True)
class Queue:
    items: list[QueueItem]
    counts: dict[str, int] = field(default_factory=dict)  # open state → reports (badges)
    total: int = 0        # reports matching the filters, on every page
    page: int = 1         # 1-based
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return _pages(self.total, self.page_size)


def _pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


def queue(session: Session, user, filters: QueueFilter | None = None, now: datetime | None = None, *,
          page: int = 1, page_size: int = PAGE_SIZE) -> Queue:
    """One page of the open, visible reports that need action, the first clock to run out first
    (reports with no clock ticking last, oldest first), with the total and the per-state counts.
    Handlers get only their unit's reports (in the query). A page past the end is empty."""
    f = filters or QueueFilter()
    now = now or utcnow()
    page, page_size = max(1, int(page)), max(1, min(int(page_size), MAX_PAGE_SIZE))
    actor = fresh_user(session, user)
    permissions.require(actor, "desk.view")
    scope = actor.unit_id if permissions.role_of(actor) == "handler" else q.NO_SCOPE
    states = [s.value for s in OPEN_STATES]
    targets = clocks.targets(session)
    reports = q.desk_page(session, states, f, targets, scope, limit=page_size, offset=(page - 1) * page_size)
    verified = q.verified_ids(session, [r.id for r in reports])
    items = []
    for r in reports:
        found = clocks.status(r, targets, now)
        due = min((c.due_at for c in found if c.state in ("running", "overdue")), default=None)
        items.append(QueueItem(
            r.id, r.category, r.state, r.priority, r.village.name if r.village else None,
            r.unit.name if r.unit else None, r.unit_id, r.created_at, r.supporters, r.off_river,
            r.id in verified, found, due))
    counts = q.desk_counts(session, states, f, scope)
    total = counts.get(f.state, 0) if f.state is not None else sum(counts.values())
    return Queue(items, counts, total, page, page_size)


@dataclass(frozen=True)
class Found:
    """A page of the staff search."""

    rows: list[dict]   # id, category, state, priority, hidden, created_at, village (never the code)
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return _pages(self.total, self.page_size)


def search(session: Session, user, filters: SearchFilter, *, page: int = 1, page_size: int = PAGE_SIZE) -> Found:
    """Staff find any report (hidden and ended ones too) by its tracking code, or by village,
    category, state and a creation date range; newest first, paginated, with the total. Handlers
    find only their unit's reports. A code is matched whole, case and spaces ignored."""
    actor = fresh_user(session, user)
    permissions.require(actor, "desk.view")
    scope = actor.unit_id if permissions.role_of(actor) == "handler" else q.NO_SCOPE
    page, page_size = max(1, int(page)), max(1, min(int(page_size), MAX_PAGE_SIZE))
    if filters.code is not None:
        code = "".join(filters.code.split()).upper()
        filters = SearchFilter(code=code) if code else replace(filters, code=None)
    total = q.search_count(session, filters, scope)
    rows = q.search_page(session, filters, scope, limit=page_size, offset=(page - 1) * page_size) if total else []
    return Found(rows, total, page, page_size)


# ---------------------------------------------------------------- one report, as the desk sees it

# The desk actions each state offers (the services still check every move themselves).
OFFERED: dict[str, tuple[str, ...]] = {
    State.SUBMITTED: ("sign", "merge", "refer", "hide", "priority", "reply"),
    State.REOPENED: ("sign", "merge", "refer", "hide", "priority", "reply"),
    State.SIGNED: ("dispatch", "verify", "callback", "merge", "refer", "hide", "priority", "close_fixed",
                   "close_unfixed", "reply"),
    State.DISPATCHED: ("onsite", "progress", "dispatch", "callback", "resolve", "transfer", "close_fixed",
                       "close_unfixed", "reply"),
    State.IN_PROGRESS: ("progress", "onsite", "dispatch", "callback", "resolve", "transfer", "close_fixed",
                        "close_unfixed", "reply"),
    State.RESOLVED: ("close_fixed", "close_unfixed", "send_back", "callback", "reply"),
}
_PERMISSION = {
    "sign": "report.sign", "merge": "report.reject", "refer": "report.reject", "hide": "report.reject",
    "priority": "report.priority", "dispatch": "report.dispatch", "verify": "report.verify",
    "callback": "report.callback", "onsite": "report.onsite", "progress": "report.progress",
    "resolve": "report.resolve", "transfer": "report.transfer", "send_back": "report.close",
    "close_fixed": "report.close", "close_unfixed": "report.close", "reopen": "report.reopen",
    "reply": "report.reply",
}


@dataclass(frozen=True)
class Detail:
    """A report as the desk sees it; staff find it by the code the villager reads out, but the
    code itself is the reporter's key and is not shown."""

    id: int
    category: str
    state: str
    priority: str
    description: str
    reporter_name: str | None
    reporter_phone: str | None
    village: str | None
    river_km: float | None
    bank: str | None
    off_river: bool
    unit_id: int | None
    suggested_unit: int | None
    photos: list[tuple[int, str, str, bool]]  # id, kind, public file, hidden
    history: list[StatusChange]
    actions: list[str]
    units: dict[int, str]
    templates: list[Template]


def detail(session: Session, user, report_id: int) -> Detail:
    """Everything staff (or the unit it was dispatched to) may see of a report, with the actions
    this person may take on it now."""
    actor = fresh_user(session, user)
    permissions.require(actor, "report.view_private")
    r = q.report(session, report_id, lock=False)
    if r is None:
        raise DeskError("not_found")
    permissions.require(actor, "report.view_private", r.unit_id, on_report=True)
    offered = OFFERED.get(State(r.state), ("reopen",) if not r.hidden else ())
    return Detail(
        id=r.id, category=r.category, state=r.state, priority=r.priority, description=r.description,
        reporter_name=r.reporter_name, reporter_phone=r.reporter_phone,
        village=r.village.name if r.village else None, river_km=r.river_km, bank=r.bank, off_river=r.off_river,
        unit_id=r.unit_id, suggested_unit=suggest_unit(session, r),
        photos=[(p.id, p.kind, p.public_name, p.hidden) for p in r.photos], history=list(r.history),
        actions=[a for a in offered if permissions.can(actor, _PERMISSION[a], r.unit_id, on_report=True)],
        units={u.id: u.name for u in accounts_queries.active_units(session)},
        templates=apply_template(session, r.state),
    )
