"""Who may do what. Every service action asks here; pages only ask here too, never decide."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)

ROLES = ("public", "deputy", "staff", "handler", "admin", "representative")
STAFF = frozenset({"staff", "admin"})

# action → roles allowed. Handlers are further limited to reports dispatched to their unit.
RULES: dict[str, frozenset[str]] = {
    "report.file": frozenset(ROLES),
    "report.track": frozenset(ROLES),
    "map.view": frozenset(ROLES),
    "export.public": frozenset(ROLES),
    "desk.view": STAFF | {"handler"},
    "report.view_private": STAFF | {"handler"},
    "report.sign": STAFF,
    "report.verify": STAFF,
    "report.reject": STAFF,
    "report.priority": STAFF,
    "report.dispatch": STAFF,
    "report.callback": STAFF,
    "report.onsite": STAFF | {"handler"},
    "report.progress": STAFF | {"handler"},
    "report.transfer": frozenset({"handler"}),
    "report.resolve": STAFF | {"handler"},
    "report.close": STAFF,
    "report.reopen": STAFF,
    "report.reply": STAFF | {"handler"},
    "report.note": STAFF | {"handler"},
    "report.moderate": STAFF,
    "signs.print": STAFF,
    "dashboard.view": STAFF | {"deputy"},
    "export.private": STAFF,
    "users.manage": frozenset({"admin"}),
    "account.own": frozenset(ROLES) - {"public"},  # one's own password
    "routing.edit": frozenset({"admin"}),
    "clocks.edit": frozenset({"admin"}),
    "templates.edit": frozenset({"admin"}),
    "audit.read": frozenset({"admin"}),
    # Notifications (issue 15): admins manage channels; staff see what was sent and resend.
    "notify.manage": frozenset({"admin"}),
    "notify.view": STAFF,
    # Limits on anonymous actions (issue 14): staff see what was refused (masked addresses/phones).
    "limits.view": STAFF,
    # Volunteer clean-up days (issue 6): staff plan, check in, record results and export the
    # roster; anyone signs up (no account: the sign-up code is the key) and reads public summaries.
    "cleanup.plan": STAFF,
    "cleanup.checkin": STAFF,
    "cleanup.results": STAFF,
    "cleanup.roster": STAFF,
    "cleanup.signup": frozenset(ROLES),
    "cleanup.view": frozenset(ROLES),
    # Deputies' proposals (issue 5). Per-object checks live in qingxi/proposals/rules.py: only the lead
    # unit's handlers sign / return / answer / ask for an extension, lead or co-units log contacts
    # and results; only the lead deputy evaluates or withdraws (staff record it on behalf of a lead
    # deputy without an account); deputies link reports only on proposals they lead or co-sign.
    "proposal.view_all": STAFF,
    "proposal.file": STAFF | {"deputy"},
    "proposal.assign": STAFF,
    "proposal.decide_extension": STAFF,
    "proposal.publish": STAFF,
    "proposal.sign": STAFF | {"handler"},
    "proposal.return": STAFF | {"handler"},
    "proposal.contact": STAFF | {"handler"},
    "proposal.answer": STAFF | {"handler"},
    "proposal.request_extension": STAFF | {"handler"},
    "proposal.result": STAFF | {"handler"},
    "proposal.evaluate": STAFF | {"deputy"},
    "proposal.withdraw": STAFF | {"deputy"},
    "proposal.link": STAFF | {"deputy"},
    # The question assistant (issue 17): staff and handlers answer handed-over questions; staff
    # edit the FAQ and the synonyms.
    "assistant.inbox": STAFF | {"handler"},
    "assistant.faq": STAFF,
    # The pledge and face-to-face days (issue 18): anyone signs and registers; voters'
    # representatives record their own village's doors (qingxi.pledge checks the village); staff
    # edit the text, set households per village, run the days and see phones.
    "pledge.sign": frozenset(ROLES),
    "pledge.door": STAFF | {"representative"},
    "pledge.manage": STAFF,
    "meeting.register": frozenset(ROLES),
    "meeting.manage": STAFF,
}
UNIT_BOUND = frozenset(a for a, roles in RULES.items() if a.startswith("report.") and "handler" in roles)


class Actor(Protocol):
    role: str
    unit_id: int | None
    disabled: bool


# Not frozen: contextlib (session_scope) sets __traceback__ on exceptions passing through it,
# which a frozen dataclass refuses (FrozenInstanceError instead of Denied).
@dataclass(eq=False)
class Denied(PermissionError):
    action: str
    role: str

    def __str__(self) -> str:
        return f"{self.role} may not {self.action}"


def role_of(user: Actor | None) -> str:
    return "public" if user is None or user.disabled else user.role


def can(user: Actor | None, action: str, report_unit_id: int | None = None, *, on_report: bool = False) -> bool:
    """True when `user` (None: the public) may do `action`; for actions on a report, handlers
    only on reports dispatched to their own unit (pass on_report=True with the report's unit)."""
    role = role_of(user)
    if role not in RULES[action]:
        return False
    if role == "handler" and on_report and action in UNIT_BOUND:
        return user.unit_id is not None and report_unit_id == user.unit_id
    return True


def require(user: Actor | None, action: str, report_unit_id: int | None = None, *, on_report: bool = False) -> None:
    if not can(user, action, report_unit_id, on_report=on_report):
        log.warning("refused: %s (user %s) may not %s", role_of(user), getattr(user, "id", None), action)
        raise Denied(action, role_of(user))
