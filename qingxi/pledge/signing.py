"""Signing by household: online by a villager (a phone required, rate-limited), or a paper
signature entered by a representative (their own village only) or staff. A phone signs once and a
household (its village and name) signs once: a second one is refused with nothing written (checked
first, and the partial unique indexes refuse two at once)."""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db import pledge_queries as q
from db.engine import session_scope
from db.models import PledgeSignature, User
from qingxi.core import limits, permissions
from qingxi.core.acting import acting
from qingxi.pledge.rules import (
    PledgeError,
    checked_household,
    checked_people,
    checked_phone,
    household_key,
    village_by_code,
)


@dataclass(frozen=True)
class Signed:
    """What the signer is told: the version they signed and their village's signature count."""

    version: int
    village_code: str
    village_signed: int


def _check_new(s: Session, village_id: int, phone: str | None, key: str | None) -> None:
    if phone and q.signature_by_phone(s, phone) is not None:
        raise PledgeError("phone_signed")
    if key and q.signature_by_household(s, village_id, key) is not None:
        raise PledgeError("household_signed")


def own_village(s: Session, actor: User, village_id: int) -> None:
    """A representative works on their own village only; staff on any."""
    if permissions.role_of(actor) == "representative":
        mine = q.representative_village(s, actor.id)
        if mine is None or mine.id != village_id:
            raise PledgeError("not_your_village")


def _add(s: Session, text_id: int, village_id: int, household: str | None, people: int, phone: str | None,
         source: str, by: int | None, at: datetime) -> PledgeSignature:
    row = PledgeSignature(text_id=text_id, village_id=village_id, household=household,
                          household_key=household_key(household), people=people, phone=phone, source=source,
                          entered_by_id=by, created_at=at)
    s.add(row)
    return row


def sign(engine: Engine, village_code: str, people: int, phone: str, household: str = "", *,
         who: limits.Person | None = None, now: datetime | None = None) -> Signed:
    """A villager signs the current text for their household (no account)."""
    household = checked_household(household)
    count = checked_people(people)
    number = checked_phone(phone, required=True)
    spend = limits.spending(engine, "pledge.sign", replace(who, phone=number), now=now) if who else nullcontext()
    with spend:
        try:
            with acting(engine, None, "pledge.sign", now=now, write=True) as c:
                s = c.session
                village_id = village_by_code(s, village_code)
                text = q.latest_text(s)
                if text is None:
                    raise PledgeError("no_text")
                _check_new(s, village_id, number, household_key(household))
                _add(s, text.id, village_id, household, count, number, "online", None, c.at)
                s.flush()
                return Signed(text.version, village_code, q.signed_per_village(s)[village_id][0])
        except IntegrityError:  # signed at the same moment by the same phone or household
            with session_scope(engine) as s:
                taken = q.signature_by_phone(s, number) is not None
            raise PledgeError("phone_signed" if taken else "household_signed") from None


def enter_paper(engine: Engine, user, village_code: str, household: str, people: int, phone: str = "", *,
                now: datetime | None = None) -> int:
    """A paper signature entered on the spot (a representative for their village, or staff):
    the household is required, the phone optional. Also records the visit as "signed"."""
    from qingxi.pledge.doors import add_visit

    household = checked_household(household, required=True)
    count = checked_people(people)
    number = checked_phone(phone, required=False)
    try:
        with acting(engine, user, "pledge.door", now=now, write=True) as c:
            s = c.session
            village_id = village_by_code(s, village_code)
            own_village(s, c.actor, village_id)
            text = q.latest_text(s)
            if text is None:
                raise PledgeError("no_text")
            _check_new(s, village_id, number, household_key(household))
            row = _add(s, text.id, village_id, household, count, number, "paper", c.actor.id, c.at)
            add_visit(s, c.actor, village_id, household, "signed", "", c.at)
            s.flush()
            c.audit("pledge.paper", {}, {"village": village_code, "people": count}, entity="pledge_signature",
                    entity_id=row.id)
            return row.id
    except IntegrityError:
        raise PledgeError("household_signed") from None

