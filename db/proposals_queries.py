"""Queries for deputies' proposals (the only SQL qingxi/proposals runs)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from db.models import (
    CongressSession,
    Proposal,
    ProposalAnswer,
    ProposalCleanupLink,
    ProposalContact,
    ProposalEvent,
    ProposalExtension,
    ProposalReportLink,
    ProposalResult,
    ProposalSigner,
    ProposalUnit,
    ProposalVillage,
    Report,
    Unit,
    User,
    Village,
)

OPEN_STATES = ("assigned", "signed", "handling")  # the deadline runs


@dataclass(frozen=True)
class RegisterFilter:
    """What the register narrows by; None means any. `village_id` matches proposals naming it."""

    session_id: int | None = None
    topic: str | None = None
    state: str | None = None
    village_id: int | None = None
    unit_id: int | None = None      # lead or co-handling unit
    overdue_at: datetime | None = None  # only proposals overdue at this time


@dataclass(frozen=True)
class Scope:
    """Which proposals a reader may see: everything, or published ones plus those of a deputy
    (lead or co-signer) or of a unit (lead or co-handling)."""

    everything: bool = False
    deputy_id: int | None = None
    unit_id: int | None = None


def _eager():
    return (selectinload(Proposal.congress_session), selectinload(Proposal.lead_unit),
            selectinload(Proposal.cosigners), selectinload(Proposal.co_units).selectinload(ProposalUnit.unit),
            selectinload(Proposal.villages).selectinload(ProposalVillage.village))


def proposal(session: Session, proposal_id: int, *, lock: bool = True) -> Proposal | None:
    """One proposal, locked for the transaction on PostgreSQL when it is about to change."""
    query = (select(Proposal).where(Proposal.id == proposal_id).options(*_eager())
             .execution_options(populate_existing=True))
    if lock:
        query = query.with_for_update(of=Proposal)
    return session.scalars(query).first()


def _visible(scope: Scope):
    if scope.everything:
        return true()
    mine = [Proposal.state == "published"]
    if scope.deputy_id is not None:
        mine.append(Proposal.lead_deputy_id == scope.deputy_id)
        mine.append(Proposal.id.in_(select(ProposalSigner.proposal_id)
                                    .where(ProposalSigner.user_id == scope.deputy_id)))
    if scope.unit_id is not None:
        mine.append(Proposal.lead_unit_id == scope.unit_id)
        mine.append(Proposal.id.in_(select(ProposalUnit.proposal_id).where(ProposalUnit.unit_id == scope.unit_id)))
    return or_(*mine)


def register(session: Session, scope: Scope, f: RegisterFilter) -> list[Proposal]:
    where = [_visible(scope)]
    if f.session_id is not None:
        where.append(Proposal.session_id == f.session_id)
    if f.topic is not None:
        where.append(Proposal.topic == f.topic)
    if f.state is not None:
        where.append(Proposal.state == f.state)
    if f.village_id is not None:
        where.append(Proposal.id.in_(select(ProposalVillage.proposal_id)
                                     .where(ProposalVillage.village_id == f.village_id)))
    if f.unit_id is not None:
        where.append(or_(Proposal.lead_unit_id == f.unit_id,
                         Proposal.id.in_(select(ProposalUnit.proposal_id).where(ProposalUnit.unit_id == f.unit_id))))
    if f.overdue_at is not None:
        where.append(Proposal.state.in_(OPEN_STATES))
        where.append(Proposal.deadline < f.overdue_at)
    query = (select(Proposal).join(CongressSession, CongressSession.id == Proposal.session_id).where(*where)
             .options(*_eager()).order_by(CongressSession.held_on.desc(), Proposal.number))
    return list(session.scalars(query))


def progress(session: Session, proposal_ids: Sequence[int]) -> dict[int, tuple[float, float]]:
    """proposal id → (Σ weight·progress, Σ weight) over its results (absent: no results)."""
    if not proposal_ids:
        return {}
    query = (select(ProposalResult.proposal_id, func.sum(ProposalResult.weight * ProposalResult.progress),
                    func.sum(ProposalResult.weight))
             .where(ProposalResult.proposal_id.in_(proposal_ids)).group_by(ProposalResult.proposal_id))
    return {pid: (float(num), float(den)) for pid, num, den in session.execute(query)}


def last_contacts(session: Session, proposal_ids: Sequence[int]) -> dict[int, date]:
    if not proposal_ids:
        return {}
    query = (select(ProposalContact.proposal_id, func.max(ProposalContact.contacted_on))
             .where(ProposalContact.proposal_id.in_(proposal_ids)).group_by(ProposalContact.proposal_id))
    return dict(session.execute(query).all())


def contacts_since(session: Session, proposal_id: int, since: datetime | None) -> int:
    query = select(func.count()).select_from(ProposalContact).where(ProposalContact.proposal_id == proposal_id)
    if since is not None:
        query = query.where(ProposalContact.at >= since)
    return session.scalar(query)


def session_row(session: Session, session_id: int) -> CongressSession | None:
    return session.get(CongressSession, session_id)


def sessions(session: Session) -> list[CongressSession]:
    return list(session.scalars(select(CongressSession).order_by(CongressSession.congress, CongressSession.meeting)))


def session_by_meeting(session: Session, congress: int, meeting: int) -> CongressSession | None:
    return session.scalars(select(CongressSession).where(CongressSession.congress == congress,
                                                         CongressSession.meeting == meeting)).first()


def add(session: Session, row) -> None:
    session.add(row)
    session.flush()


def user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def unit(session: Session, unit_id: int) -> Unit | None:
    return session.get(Unit, unit_id)


def villages(session: Session, village_ids: Iterable[int]) -> list[Village]:
    ids = list(village_ids)
    return list(session.scalars(select(Village).where(Village.id.in_(ids)))) if ids else []


def number_taken(session: Session, number: str) -> bool:
    return session.scalar(select(Proposal.id).where(Proposal.number == number)) is not None


def count_in_session(session: Session, session_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Proposal).where(Proposal.session_id == session_id))


def history(session: Session, proposal_id: int) -> list[ProposalEvent]:
    return list(session.scalars(select(ProposalEvent).where(ProposalEvent.proposal_id == proposal_id)
                                .order_by(ProposalEvent.at, ProposalEvent.id)))


def answers(session: Session, proposal_id: int) -> list[ProposalAnswer]:
    return list(session.scalars(select(ProposalAnswer).where(ProposalAnswer.proposal_id == proposal_id)
                                .options(selectinload(ProposalAnswer.attachments), selectinload(ProposalAnswer.unit))
                                .order_by(ProposalAnswer.at, ProposalAnswer.id)))


def contacts(session: Session, proposal_id: int) -> list[ProposalContact]:
    return list(session.scalars(select(ProposalContact).where(ProposalContact.proposal_id == proposal_id)
                                .options(selectinload(ProposalContact.unit))
                                .order_by(ProposalContact.contacted_on, ProposalContact.id)))


def extension(session: Session, proposal_id: int) -> ProposalExtension | None:
    return session.scalars(select(ProposalExtension).where(ProposalExtension.proposal_id == proposal_id)).first()


def results(session: Session, proposal_id: int) -> list[ProposalResult]:
    return list(session.scalars(select(ProposalResult).where(ProposalResult.proposal_id == proposal_id)
                                .options(selectinload(ProposalResult.updates), selectinload(ProposalResult.photos))
                                .order_by(ProposalResult.id)))


def result(session: Session, result_id: int) -> ProposalResult | None:
    return session.scalars(select(ProposalResult).where(ProposalResult.id == result_id)
                           .options(selectinload(ProposalResult.updates), selectinload(ProposalResult.photos))
                           .with_for_update(of=ProposalResult)).first()


def report(session: Session, report_id: int) -> Report | None:
    return session.get(Report, report_id)


def active_link(session: Session, model: type[ProposalReportLink] | type[ProposalCleanupLink], proposal_id: int,
                column: str, target_id: int) -> ProposalReportLink | ProposalCleanupLink | None:
    """The live link of a proposal to a report or a clean-up day (`column` names the target), if any."""
    return session.scalars(select(model).where(
        model.proposal_id == proposal_id, getattr(model, column) == target_id, model.unlinked_at.is_(None))).first()


def linked_reports(session: Session, proposal_id: int) -> list[Report]:
    """Visible reports with an active link to the proposal, oldest link first."""
    query = (select(Report).join(ProposalReportLink, ProposalReportLink.report_id == Report.id)
             .where(ProposalReportLink.proposal_id == proposal_id, ProposalReportLink.unlinked_at.is_(None),
                    Report.hidden.is_(False))
             .options(selectinload(Report.photos), selectinload(Report.village))
             .order_by(ProposalReportLink.linked_at, ProposalReportLink.id))
    return list(session.scalars(query))


def proposals_for_report(session: Session, report_id: int, scope: Scope) -> list[Proposal]:
    query = (select(Proposal).join(ProposalReportLink, ProposalReportLink.proposal_id == Proposal.id)
             .where(ProposalReportLink.report_id == report_id, ProposalReportLink.unlinked_at.is_(None),
                    _visible(scope))
             .options(*_eager()).order_by(Proposal.number))
    return list(session.scalars(query))


def demo_reports(session: Session, limit: int) -> list[Report]:
    """Visible demo reports along the river (by river km), for the demo proposals' evidence."""
    return list(session.scalars(select(Report).where(Report.is_demo.is_(True), Report.hidden.is_(False),
                                                     Report.river_km.is_not(None))
                                .order_by(Report.river_km, Report.id).limit(limit)))


def demo_proposal_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Proposal).where(Proposal.is_demo.is_(True)))


def linkable_reports(session: Session, proposal_id: int, km_from: float | None, km_to: float | None,
                     village_ids: Sequence[int], limit: int) -> list[Report]:
    """Visible reports not linked to the proposal now, on its river-km range (±margin given by the
    caller) or in its villages (any when it names neither), newest first."""
    linked = select(ProposalReportLink.report_id).where(ProposalReportLink.proposal_id == proposal_id,
                                                        ProposalReportLink.unlinked_at.is_(None))
    where = [Report.hidden.is_(False), Report.id.not_in(linked)]
    places = []
    if km_from is not None or km_to is not None:
        places.append(Report.river_km.between(km_from if km_from is not None else 0.0,
                                              km_to if km_to is not None else 1e9))
    if village_ids:
        places.append(Report.village_id.in_(list(village_ids)))
    if places:
        where.append(or_(*places))
    query = (select(Report).where(*where).options(selectinload(Report.photos), selectinload(Report.village))
             .order_by(Report.created_at.desc(), Report.id.desc()).limit(limit))
    return list(session.scalars(query))


def deputies(session: Session) -> list[User]:
    """Active deputy accounts, for the filing form's pickers."""
    return list(session.scalars(select(User).where(User.role == "deputy", User.disabled.is_(False))
                                .order_by(User.display_name)))
