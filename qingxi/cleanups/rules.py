"""What every part of clean-up days shares: the words (states, item types, litter categories), the
limits, the refusal (CleanupError), the checks of what people type, and the staff's acting context.

Staff commands run in `staffed(...)`: qingxi.core.acting (the account read afresh, the role checked
before anything is read), then the event loaded — with its row lock when the command writes, so
every writer on one event locks its row first and none can deadlock — or "not_found".
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import cleanups_queries as q
from db.models import Cleanup
from qingxi.core import codes, places
from qingxi.core.acting import Act, acting, snap
from qingxi.core.refusals import Refusal
from qingxi.core.settings import current as settings

STATES = ("draft", "published", "full", "closed", "done", "reported", "cancelled")
OPEN_FOR_SIGNUP = ("published", "full")
FINISHED = ("done", "reported")
ATTENDANCE = ("unknown", "attended", "no_show")
ITEM_TYPES = ("plastic_bottles", "plastic_bags", "foam", "glass", "cans", "tyres", "fishing_gear",
              "textiles", "bulky", "other")
SUGGESTED_GROUPS = ("代表", "村队")
MAX_CAPACITY = 500
MAX_COMPANIONS = 10
MAX_TITLE, MAX_TEXT, MAX_MESSAGE = 120, 2000, 500
MAX_PHOTOS = 6
SECTION_KM = 0.5
LITTER_CATEGORIES = ("floating_litter", "bank_litter", "illegal_dumping", "construction_waste")
CATEGORY_WEIGHT = {"floating_litter": 1.0, "bank_litter": 1.0, "illegal_dumping": 1.0, "construction_waste": 0.5}
SIZE_WEIGHT = {"bag": 1.0, "wheelbarrow": 3.0, "truck": 8.0}
NO_SIZE_WEIGHT = 1.0
AGE_BANDS = ((7, 1.5), (30, 2.0), (60, 2.5))  # at least this many days old → weight; 2.5 is the cap
SUPPORTER_WEIGHT, SUPPORTER_CAP = 0.5, 10


class CleanupError(Refusal):
    """A refusal the person can act on; `key` names the message (cleanup.error.<key>)."""

    area = "cleanups"


# ---------------------------------------------------------------- what people type

checked_text = CleanupError.checked_text


def checked_int(value, low: int, high: int, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        if isinstance(value, float) and value.is_integer() and low <= value <= high:
            return int(value)
        raise CleanupError(key, low=low, high=high)
    return value


def checked_phone(value: str | None, *, required: bool) -> str | None:
    number = places.normalise_phone(value or "")
    if not number:
        if required:
            raise CleanupError("phone_needed")
        return None
    if not places.phone_ok(number):
        raise CleanupError("bad_phone")
    return number


def village_id(s: Session, code: str | None) -> int | None:
    """The id of the village a volunteer comes from (none given: None)."""
    if not code:
        return None
    village = q.village(s, code)
    if village is None:
        raise CleanupError("unknown_village")
    return village.id


def new_code(s: Session) -> str:
    code = codes.new_code()
    while q.code_taken(s, code):
        code = codes.new_code()
    return code


def local(at: datetime) -> datetime:
    return at.astimezone(settings().timezone)


# ---------------------------------------------------------------- staff commands

class Staffed(Act):
    entity = "cleanup"

    @property
    def cleanup(self) -> Cleanup:
        return self.target


@contextmanager
def staffed(engine: Engine, user, cleanup_id: int, permission: str, now: datetime | None,
            *, write: bool = True) -> Iterator[Staffed]:
    """The role first, then the event (its row locked when writing)."""
    with acting(engine, user, permission, now=now, write=write, context=Staffed) as c:
        c.target = q.cleanup(c.session, cleanup_id, lock=write)
        if c.target is None:
            raise CleanupError("not_found")
        yield c


def in_state(ev: Cleanup, *states: str) -> None:
    if ev.state not in states:
        raise CleanupError("event_cancelled" if ev.state == "cancelled" else "wrong_state", state=ev.state)


def transition(engine: Engine, user, cleanup_id: int, now: datetime | None, to: str, *allowed: str,
               check=None, reason: str = "") -> None:
    """One state change by staff (planning, or results for done / reported), with its audit entry."""
    with staffed(engine, user, cleanup_id, "cleanup.plan" if to not in FINISHED else "cleanup.results", now) as c:
        in_state(c.cleanup, *allowed)
        if check:
            check(c)
        before = snap(c.cleanup, "state")
        c.cleanup.state = to
        c.cleanup.updated_at = c.at
        c.audit(f"cleanup.{to}", before, snap(c.cleanup, "state"), reason)
