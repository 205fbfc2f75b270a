"""Evidence on a proposal: villagers' reports and volunteer clean-up days linked to it, what a
reader sees of them (LinkedReport, LinkedCleanup: public fields only), and the picker of reports
that may be linked. Staff, or a deputy leading or co-signing the proposal, link and unlink; an
ended link stays as a row (unlinked_by/at) and the history says so."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import cleanups_queries as cq
from db import proposals_queries as q
from db.models import CLEANUP_STATES, ProposalCleanupLink, ProposalReportLink, User
from qingxi.core import permissions
from qingxi.core.acting import acting
from qingxi.core.permissions import Denied
from qingxi.proposals import checks, rules
from qingxi.proposals.acts import Acting, on_proposal, readable
from qingxi.proposals.checks import ProposalError

LINK_MARGIN_KM = 0.3


@dataclass(frozen=True)
class LinkedReport:
    """A villager report's public fields only: never a name, phone or text. The tracking code is
    the reporter's key to their report (see README), so it is given to staff only."""

    id: int
    code: str | None      # None unless the reader is staff
    category: str
    state: str
    lon: float
    lat: float
    river_km: float | None
    village: str | None
    photos: list[tuple[str, str]]   # (public file, thumbnail), hidden photos left out


@dataclass(frozen=True)
class LinkedCleanup:
    """A clean-up day's public fields (never a volunteer's name or phone, nor the leader's contact)."""

    id: int
    title: str
    starts_at: datetime
    state: str
    kg: float | None      # None until results are public (state "reported"; staff see them once recorded)


def linked_report(actor: User | None, r) -> LinkedReport:
    return LinkedReport(r.id, r.code if rules.is_staff(actor) else None, r.category, r.state, r.lon, r.lat,
                        r.river_km, r.village.name if r.village else None,
                        [(f.public_name, f.thumb_name) for f in r.photos if not f.hidden])


def linked_cleanups(s: Session, actor: User | None, proposal_id: int) -> list[LinkedCleanup]:
    """The clean-up days linked now, oldest link first (drafts for staff only)."""
    staff = rules.is_staff(actor)
    states = [x for x in CLEANUP_STATES if staff or x != "draft"]
    return [LinkedCleanup(e.id, e.title, e.starts_at, e.state,
                          e.kg if e.results_at is not None and (staff or e.state == "reported") else None)
            for e in cq.proposal_cleanups(s, proposal_id, states)]


def linkable_reports(engine: Engine, user, proposal_id: int, limit: int = 50) -> list[LinkedReport]:
    """Reports this person may link to the proposal (for the "link reports" picker): visible,
    not linked now, on its river-km range (±0.3 km) or in its villages, newest first."""
    with acting(engine, user, "proposal.link") as c:
        p = readable(c.session, c.actor, proposal_id)
        if not rules.linker_ok(c.actor, p):
            raise Denied("proposal.link", permissions.role_of(c.actor))
        margin = LINK_MARGIN_KM
        found = q.linkable_reports(c.session, p.id, None if p.km_from is None else max(p.km_from - margin, 0.0),
                                   None if p.km_to is None else p.km_to + margin,
                                   [v.village_id for v in p.villages], limit)
        return [linked_report(c.actor, r) for r in found]


@dataclass(frozen=True)
class _Kind:
    """What a link of one kind is called: its row and column, its history actions, its refusals."""

    model: type
    column: str
    linked: str       # history action of a new link
    unlinked: str     # history action of an ended one
    taken: str        # refusal: the pair is linked already
    missing: str      # refusal: no active link to end


_REPORT = _Kind(ProposalReportLink, "report_id", "link", "unlink", "already_linked", "not_linked")
_CLEANUP = _Kind(ProposalCleanupLink, "cleanup_id", "link_cleanup", "unlink_cleanup", "cleanup_already_linked",
                 "cleanup_not_linked")


def _start_link(c: Acting, kind: _Kind, target_id: int) -> int:
    """A new active link row (the caller checked the target) and its history."""
    if q.active_link(c.session, kind.model, c.proposal.id, kind.column, target_id) is not None:
        raise ProposalError(kind.taken)
    link = kind.model(proposal_id=c.proposal.id, **{kind.column: target_id}, linked_by_id=c.actor.id,
                      linked_at=c.at)
    q.add(c.session, link)
    c.record(kind.linked, f"#{target_id}", {}, {kind.column: target_id, "link_id": link.id})
    return link.id


def _end_link(engine: Engine, user, proposal_id: int, kind: _Kind, target_id: int, reason: str,
              now: datetime | None) -> None:
    """End the active link: the row stays (unlinked_by/at) and the history says so, with the reason."""
    reason = checks.text(reason, required=False)
    with on_proposal(engine, user, proposal_id, "link", now) as c:
        link = q.active_link(c.session, kind.model, c.proposal.id, kind.column, target_id)
        if link is None:
            raise ProposalError(kind.missing)
        link.unlinked_by_id, link.unlinked_at = c.actor.id, c.at
        c.record(kind.unlinked, f"#{target_id} {reason}".strip(), {kind.column: target_id, "link_id": link.id},
                 {kind.column: None})


def link_report(engine: Engine, user, proposal_id: int, report_id: int, now: datetime | None = None) -> int:
    """Link an existing visible report; returns the link's id."""
    with on_proposal(engine, user, proposal_id, "link", now) as c:
        report = q.report(c.session, report_id)
        if report is None or report.hidden:
            raise ProposalError("report_not_found")
        return _start_link(c, _REPORT, report_id)


def unlink_report(engine: Engine, user, proposal_id: int, report_id: int, reason: str = "",
                  now: datetime | None = None) -> None:
    _end_link(engine, user, proposal_id, _REPORT, report_id, reason, now)


def link_cleanup(engine: Engine, user, proposal_id: int, cleanup_id: int, now: datetime | None = None) -> int:
    """Link a volunteer clean-up day (a draft only by staff: nobody else can see one); returns the link's id."""
    with on_proposal(engine, user, proposal_id, "link", now) as c:
        event = cq.cleanup(c.session, cleanup_id)
        if event is None or (event.state == "draft" and not rules.is_staff(c.actor)):
            raise ProposalError("cleanup_not_found")
        return _start_link(c, _CLEANUP, cleanup_id)


def unlink_cleanup(engine: Engine, user, proposal_id: int, cleanup_id: int, reason: str = "",
                   now: datetime | None = None) -> None:
    _end_link(engine, user, proposal_id, _CLEANUP, cleanup_id, reason, now)
