"""What face-to-face days share: the refusal, the limits and the checks."""
from __future__ import annotations

from datetime import datetime

from db.models import Meeting
from qingxi.core.refusals import Refusal

MAX_CAPACITY = 500
MAX_PLACE, MAX_TOPIC, MAX_INVITED, MAX_TEXT, MAX_OFFICIAL = 120, 200, 2000, 2000, 60
KINDS = ("answer", "commitment")


class MeetingError(Refusal):
    """A refusal the person can act on (meetings.error.<key>)."""

    area = "meetings"


checked_text = MeetingError.checked_text


def open_for_registration(day: Meeting | None, at: datetime) -> Meeting:
    if day is None:
        raise MeetingError("not_found")
    if day.state != "published":
        raise MeetingError("unpublished")
    if day.starts_at <= at:
        raise MeetingError("past")
    return day
