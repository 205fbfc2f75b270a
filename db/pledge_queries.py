"""Queries for the pledge (the only SQL qingxi.pledge runs): texts, signatures, households per
village, representatives and their visits, and the coverage counts."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import PledgeSignature, PledgeText, PledgeVillage, PledgeVisit, Representative, Village


def latest_text(session: Session) -> PledgeText | None:
    return session.scalars(select(PledgeText).order_by(PledgeText.version.desc()).limit(1)).first()


def texts(session: Session) -> list[PledgeText]:
    return list(session.scalars(select(PledgeText).order_by(PledgeText.version.desc())))


def signature_by_phone(session: Session, phone: str) -> PledgeSignature | None:
    return session.scalars(select(PledgeSignature).where(PledgeSignature.phone == phone)).first()


def signature_by_household(session: Session, village_id: int, key: str) -> PledgeSignature | None:
    return session.scalars(select(PledgeSignature).where(PledgeSignature.village_id == village_id,
                                                         PledgeSignature.household_key == key)).first()


def signed_keys(session: Session) -> tuple[set[str], set[tuple[int, str]]]:
    """Every phone and (village, household key) that has signed, for checking a sheet at once."""
    rows = session.execute(select(PledgeSignature.phone, PledgeSignature.village_id, PledgeSignature.household_key))
    phones, households = set(), set()
    for phone, village_id, key in rows:
        if phone:
            phones.add(phone)
        if key:
            households.add((village_id, key))
    return phones, households


def households(session: Session) -> dict[int, int]:
    return dict(session.execute(select(PledgeVillage.village_id, PledgeVillage.households)).all())


def set_households(session: Session, village_id: int, count: int, at) -> None:
    row = session.get(PledgeVillage, village_id)
    if row is None:
        session.add(PledgeVillage(village_id=village_id, households=count, updated_at=at))
    else:
        row.households, row.updated_at = count, at


def signed_per_village(session: Session) -> dict[int, tuple[int, int]]:
    """village id → (households signed, people in them)."""
    rows = session.execute(select(PledgeSignature.village_id, func.count(), func.sum(PledgeSignature.people))
                           .group_by(PledgeSignature.village_id))
    return {v: (int(n), int(p or 0)) for v, n, p in rows}


def representative_village(session: Session, user_id: int) -> Village | None:
    rep = session.get(Representative, user_id)
    return None if rep is None else session.get(Village, rep.village_id)


def set_representative(session: Session, user_id: int, village_id: int) -> None:
    rep = session.get(Representative, user_id)
    if rep is None:
        session.add(Representative(user_id=user_id, village_id=village_id))
    else:
        rep.village_id = village_id


def visits(session: Session, village_id: int) -> list[PledgeVisit]:
    return list(session.scalars(select(PledgeVisit).where(PledgeVisit.village_id == village_id)
                                .order_by(PledgeVisit.at, PledgeVisit.id)))


def signatures(session: Session, village_id: int | None = None) -> list[PledgeSignature]:
    query = select(PledgeSignature).order_by(PledgeSignature.created_at, PledgeSignature.id)
    if village_id is not None:
        query = query.where(PledgeSignature.village_id == village_id)
    return list(session.scalars(query))


def recent_households(session: Session, limit: int) -> list[tuple[str, str]]:
    """The newest signatures that gave a household name: (household, village name), newest first."""
    rows = session.execute(select(PledgeSignature.household, Village.name)
                           .join(Village, Village.id == PledgeSignature.village_id)
                           .where(PledgeSignature.household.is_not(None))
                           .order_by(PledgeSignature.created_at.desc(), PledgeSignature.id.desc()).limit(limit))
    return [(h, v) for h, v in rows]
