"""Door to door: which village a representative works in (staff assign it), the calls they make
(visited / signed / not at home / declined, with a note; a household's latest call is its state),
and the number of households per village (staff set it: the denominator of coverage)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import pledge_queries as q
from db.engine import session_scope
from db.models import PledgeVisit, User
from qingxi.core import permissions
from qingxi.core.acting import acting, fresh_user
from qingxi.pledge.rules import (
    MAX_HOUSEHOLDS,
    MAX_NOTE,
    OUTCOMES,
    PledgeError,
    checked_household,
    household_key,
    village_by_code,
)
from qingxi.pledge.signing import own_village


@dataclass(frozen=True)
class Door:
    """A household as the representative last left it."""

    household: str
    outcome: str
    note: str
    at: datetime
    calls: int


def add_visit(s: Session, actor: User, village_id: int, household: str, outcome: str, note: str,
              at: datetime) -> PledgeVisit:
    row = PledgeVisit(village_id=village_id, household=household, household_key=household_key(household),
                      outcome=outcome, note=note, representative_id=actor.id if actor else None, at=at)
    s.add(row)
    return row


def assign_representative(engine: Engine, user, representative_id: int, village_code: str, *,
                          now: datetime | None = None) -> None:
    """Staff tie a representative's account to the village whose doors they knock on."""
    with acting(engine, user, "pledge.manage", now=now) as c:
        village_id = village_by_code(c.session, village_code)
        rep = c.session.get(User, representative_id)
        if rep is None or rep.role != "representative":
            raise PledgeError("not_a_representative")
        q.set_representative(c.session, rep.id, village_id)
        c.audit("pledge.representative", {}, {"village": village_code}, entity="user", entity_id=rep.id)


def my_village(engine: Engine, user) -> tuple[str, str] | None:
    """(code, name) of the representative's village; None when not assigned yet."""
    with session_scope(engine) as s:
        actor = fresh_user(s, user)
        if permissions.role_of(actor) != "representative":
            return None
        village = q.representative_village(s, actor.id)
        return None if village is None else (village.code, village.name)


def record_visit(engine: Engine, user, village_code: str, household: str, outcome: str, note: str = "", *,
                 now: datetime | None = None) -> int:
    household = checked_household(household, required=True)
    if outcome not in OUTCOMES:
        raise PledgeError("bad_outcome")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise PledgeError("note_too_long", most=MAX_NOTE)
    with acting(engine, user, "pledge.door", now=now) as c:
        village_id = village_by_code(c.session, village_code)
        own_village(c.session, c.actor, village_id)
        row = add_visit(c.session, c.actor, village_id, household, outcome, note, c.at)
        c.session.flush()
        return row.id


def doors(engine: Engine, user, village_code: str) -> list[Door]:
    """The households called at in a village, each with its latest call, in the order first called."""
    with acting(engine, user, "pledge.door") as c:
        village_id = village_by_code(c.session, village_code)
        own_village(c.session, c.actor, village_id)
        found: dict[str, Door] = {}
        for v in q.visits(c.session, village_id):
            calls = found[v.household_key].calls + 1 if v.household_key in found else 1
            found[v.household_key] = Door(v.household, v.outcome, v.note, v.at, calls)
        return list(found.values())


def set_households(engine: Engine, user, village_code: str, count, *, now: datetime | None = None) -> None:
    try:
        number = int(count)
    except (TypeError, ValueError):
        raise PledgeError("bad_households", most=MAX_HOUSEHOLDS) from None
    if not 0 <= number <= MAX_HOUSEHOLDS:
        raise PledgeError("bad_households", most=MAX_HOUSEHOLDS)
    with acting(engine, user, "pledge.manage", now=now) as c:
        village_id = village_by_code(c.session, village_code)
        before = q.households(c.session).get(village_id)
        q.set_households(c.session, village_id, number, c.at)
        c.audit("pledge.households", {"households": before}, {"households": number}, entity="village",
                entity_id=village_id)
