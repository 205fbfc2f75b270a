"""Queries for face-to-face days (the only SQL qingxi.meetings runs)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Meeting, MeetingOpinion, MeetingOpinionPhoto, MeetingRegistration, MeetingResponse, Proposal


def meeting(session: Session, meeting_id: int, *, lock: bool = False) -> Meeting | None:
    query = select(Meeting).where(Meeting.id == meeting_id).execution_options(populate_existing=True)
    if lock:
        query = query.with_for_update(of=Meeting, key_share=True)
    return session.scalars(query).first()


def meetings(session: Session, states: tuple[str, ...]) -> list[Meeting]:
    return list(session.scalars(select(Meeting).where(Meeting.state.in_(states))
                                .order_by(Meeting.starts_at.desc(), Meeting.id)))


def registered(session: Session, meeting_id: int) -> int:
    return session.scalar(select(func.count()).select_from(MeetingRegistration)
                          .where(MeetingRegistration.meeting_id == meeting_id))


def registration_by_phone(session: Session, meeting_id: int, phone: str) -> MeetingRegistration | None:
    return session.scalars(select(MeetingRegistration).where(MeetingRegistration.meeting_id == meeting_id,
                                                             MeetingRegistration.phone == phone)).first()


def registrations(session: Session, meeting_id: int) -> list[MeetingRegistration]:
    return list(session.scalars(select(MeetingRegistration).where(MeetingRegistration.meeting_id == meeting_id)
                                .order_by(MeetingRegistration.id)))


def opinions(session: Session, meeting_id: int) -> list[MeetingOpinion]:
    return list(session.scalars(select(MeetingOpinion).where(MeetingOpinion.meeting_id == meeting_id)
                                .order_by(MeetingOpinion.id)))


def opinion(session: Session, opinion_id: int) -> MeetingOpinion | None:
    return session.get(MeetingOpinion, opinion_id)


def photos(session: Session, opinion_ids: list[int]) -> list[MeetingOpinionPhoto]:
    if not opinion_ids:
        return []
    return list(session.scalars(select(MeetingOpinionPhoto).where(MeetingOpinionPhoto.opinion_id.in_(opinion_ids))))


def responses(session: Session, opinion_ids: list[int]) -> dict[int, MeetingResponse]:
    if not opinion_ids:
        return {}
    rows = session.scalars(select(MeetingResponse).where(MeetingResponse.opinion_id.in_(opinion_ids)))
    return {r.opinion_id: r for r in rows}


def response(session: Session, opinion_id: int) -> MeetingResponse | None:
    return session.scalars(select(MeetingResponse).where(MeetingResponse.opinion_id == opinion_id)).first()


def overdue(session: Session, today: date) -> list[tuple[MeetingResponse, MeetingOpinion, Meeting]]:
    rows = session.execute(
        select(MeetingResponse, MeetingOpinion, Meeting)
        .join(MeetingOpinion, MeetingOpinion.id == MeetingResponse.opinion_id)
        .join(Meeting, Meeting.id == MeetingOpinion.meeting_id)
        .where(MeetingResponse.kind == "commitment", MeetingResponse.done_at.is_(None),
               MeetingResponse.due_on < today)
        .order_by(MeetingResponse.due_on, MeetingResponse.id))
    return [tuple(r) for r in rows]


def proposal_exists(session: Session, proposal_id: int) -> bool:
    return session.get(Proposal, proposal_id) is not None


def opinions_for_proposal(session: Session, proposal_id: int) -> list[MeetingOpinion]:
    return list(session.scalars(select(MeetingOpinion).where(MeetingOpinion.proposal_id == proposal_id)
                                .order_by(MeetingOpinion.id)))


def deputy_villages(session: Session, user_id: int) -> list:
    """The villages of the proposals a deputy leads or co-signs (their villages, for their home)."""
    from sqlalchemy import or_

    from db.models import ProposalSigner, ProposalVillage, Village

    signed = select(ProposalSigner.proposal_id).where(ProposalSigner.user_id == user_id)
    mine = select(Proposal.id).where(or_(Proposal.lead_deputy_id == user_id, Proposal.id.in_(signed)))
    return list(session.scalars(select(Village).join(ProposalVillage, ProposalVillage.village_id == Village.id)
                                .where(ProposalVillage.proposal_id.in_(mine)).distinct().order_by(Village.code)))


def village_opinions(session: Session, village_ids: list[int]) -> list[tuple[MeetingOpinion, Meeting]]:
    if not village_ids:
        return []
    rows = session.execute(select(MeetingOpinion, Meeting).join(Meeting, Meeting.id == MeetingOpinion.meeting_id)
                           .where(MeetingOpinion.village_id.in_(village_ids))
                           .order_by(Meeting.starts_at.desc(), MeetingOpinion.id))
    return [tuple(r) for r in rows]


def proposal_choices(session: Session, search: str, limit: int, keep: int | None = None) -> list[Proposal]:
    """At most `limit` proposals whose number or title holds `search` (all of them when empty), the
    newest filed first, plus the one `keep` (already attached): a picker never loads the register."""
    from sqlalchemy import or_

    query = select(Proposal).order_by(Proposal.filed_on.desc(), Proposal.id.desc()).limit(limit)
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(Proposal.number.ilike(pattern, escape="\\"), Proposal.title.ilike(pattern, escape="\\")))
    found = list(session.scalars(query))
    if keep is not None and all(p.id != keep for p in found) and (kept := session.get(Proposal, keep)) is not None:
        found.insert(0, kept)
    return found
