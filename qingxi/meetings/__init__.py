"""Face-to-face days (联络站接待日, issue 18): the liaison station invites the heads of government units
to hear villagers about the river.

days: staff schedule a day (date, place, topic, invited units with their officials' titles,
capacity) and publish it; anyone registers (name and phone for staff only; rate-limited) for a
published, future day that is not full, with an optional opinion (text, a photo through
qingxi.core.photos.staged, the code of a report they filed — verified, never shown). outcomes: staff
record opinions raised on the day and the official's response (an answer, or a commitment by a unit
with a due date not in the past, marked done later), turn an opinion into a report in the triage
loop or attach it to a proposal as evidence; the public minutes (no name, no phone) and the
commitments past due for the dashboard. reads: the days, the registrations (staff), the proposals
an opinion can be attached to (proposal_choices: by number or title, a few at a time) and a
deputy's villages with their opinions (deputy_home).

Every refusal is MeetingError(key) (meetings.error.<key>) raised before anything is written; staff
commands run in qingxi.core.acting with permission meeting.manage.
"""
from qingxi.meetings.days import publish, register, schedule
from qingxi.meetings.outcomes import (
    Line,
    Minutes,
    Overdue,
    attach_to_proposal,
    commitment_done,
    minutes,
    overdue,
    proposal_opinions,
    record_opinion,
    respond,
    staff_lines,
    to_report,
)
from qingxi.meetings.reads import (
    Day,
    ProposalChoice,
    Registration,
    VillageOpinion,
    days,
    deputy_home,
    proposal_choices,
    registrations,
)
from qingxi.meetings.rules import KINDS, MAX_CAPACITY, MeetingError

__all__ = [
    "KINDS", "MAX_CAPACITY", "MeetingError",
    "publish", "register", "schedule",
    "Line", "Minutes", "Overdue", "attach_to_proposal", "commitment_done", "minutes", "overdue",
    "proposal_opinions", "record_opinion", "respond", "staff_lines", "to_report",
    "Day", "ProposalChoice", "Registration", "VillageOpinion", "days", "deputy_home", "proposal_choices",
    "registrations",
]
