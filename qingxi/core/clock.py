"""The time of an act. Every command takes `now=` (tests freeze the clock, the demo data replays the
past); without it, now. Times are aware UTC everywhere; local time is only for showing."""
from __future__ import annotations

from datetime import datetime, timezone

from db.models import utcnow


def now(given: datetime | None = None) -> datetime:
    if given is None:
        return utcnow()
    if given.tzinfo is None:
        raise ValueError("naive datetime: give times in UTC")
    return given.astimezone(timezone.utc)
