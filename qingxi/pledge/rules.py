"""What the pledge's parts share: the refusal, the limits, the checks of what people type."""
from __future__ import annotations

import re

from sqlalchemy.orm import Session

from db import places_queries
from qingxi.core import places
from qingxi.core.refusals import Refusal

MAX_PEOPLE = 30          # people in one household: more is a typing mistake
MAX_HOUSEHOLD = 30       # a household's name or door as typed ("王家", "3组12号")
MAX_NOTE = 500
MAX_TITLE, MAX_BODY = 120, 5000
MAX_HOUSEHOLDS = 20_000  # households in one village
OUTCOMES = ("visited", "signed", "not_home", "declined")


class PledgeError(Refusal):
    """A refusal the person can act on (pledge.error.<key>)."""

    area = "pledge"


def household_key(text: str | None) -> str | None:
    """The household as compared for "signed twice": spaces and case forgiven."""
    key = re.sub(r"\s+", "", text or "").lower()
    return key or None


def checked_household(text: str | None, *, required: bool = False) -> str | None:
    value = (text or "").strip()
    if not value:
        if required:
            raise PledgeError("household_needed")
        return None
    if len(value) > MAX_HOUSEHOLD:
        raise PledgeError("household_too_long", most=MAX_HOUSEHOLD)
    return value


def checked_people(value) -> int:
    try:
        number = int(str(value).strip())
        if float(str(value).strip()) != number:
            raise ValueError
    except (TypeError, ValueError):
        raise PledgeError("bad_people", most=MAX_PEOPLE) from None
    if not 1 <= number <= MAX_PEOPLE:
        raise PledgeError("bad_people", most=MAX_PEOPLE)
    return number


def checked_phone(text: str | None, *, required: bool) -> str | None:
    value = (text or "").strip()
    if not value:
        if required:
            raise PledgeError("phone_needed")
        return None
    if not places.phone_ok(value):
        raise PledgeError("bad_phone")
    return places.normalise_phone(value)


def village_by_code(session: Session, code: str | None) -> int:
    if not code:
        raise PledgeError("village_needed")
    found = places_queries.village_id(session, code)
    if found is None:
        raise PledgeError("unknown_village")
    return found


def village_lookup(session: Session) -> dict[str, int]:
    """A village by its code or its name (a sheet has either)."""
    found = {}
    for v in places_queries.villages(session):
        found[v.code] = found[v.name] = v.id
    return found
