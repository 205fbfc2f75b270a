"""The report state machine, shaped after FixMyStreet: every state has a type, open / fixed /
closed, and "closed" never counts as "fixed"."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from db.models import Report, StatusChange, utcnow


class Kind(StrEnum):
    OPEN = "open"
    FIXED = "fixed"
    CLOSED = "closed"


class State(StrEnum):
    SUBMITTED = "submitted"      # 待签收
    SIGNED = "signed"            # 已签收
    DISPATCHED = "dispatched"    # 已派单
    IN_PROGRESS = "in_progress"  # 处理中
    REOPENED = "reopened"        # 重新打开
    RESOLVED = "resolved"        # 已办结, 待核实 (the handler says it is done; staff check it)
    FIXED = "fixed"              # 已解决
    UNFIXED = "unfixed"          # 已关闭 (未解决)
    DUPLICATE = "duplicate"      # 重复
    REFERRED = "referred"        # 非本单位职责, 已转交
    INVALID = "invalid"          # 无效


KIND = {
    State.SUBMITTED: Kind.OPEN, State.SIGNED: Kind.OPEN, State.DISPATCHED: Kind.OPEN,
    State.IN_PROGRESS: Kind.OPEN, State.REOPENED: Kind.OPEN, State.RESOLVED: Kind.OPEN, State.FIXED: Kind.FIXED,
    State.UNFIXED: Kind.CLOSED, State.DUPLICATE: Kind.CLOSED, State.REFERRED: Kind.CLOSED,
    State.INVALID: Kind.CLOSED,
}
OPEN_STATES = tuple(s for s, k in KIND.items() if k is Kind.OPEN)
_ENDINGS = {State.FIXED, State.UNFIXED, State.DUPLICATE, State.REFERRED, State.INVALID}
TRANSITIONS: dict[State, set[State]] = {
    State.SUBMITTED: {State.SIGNED} | _ENDINGS,
    State.SIGNED: {State.DISPATCHED} | _ENDINGS,
    State.DISPATCHED: {State.IN_PROGRESS, State.SIGNED, State.RESOLVED} | _ENDINGS,
    # → signed: the handler's unit hands it back (退回) for dispatching elsewhere.
    State.IN_PROGRESS: {State.DISPATCHED, State.SIGNED, State.RESOLVED} | _ENDINGS,
    # The handler resolved it; staff close it (fixed / unfixed) or send it back to the handler.
    State.RESOLVED: {State.IN_PROGRESS} | _ENDINGS,
    State.REOPENED: {State.SIGNED} | _ENDINGS,
    **{s: {State.REOPENED} for s in _ENDINGS},
}
# The milestone a state stamps on first arrival (the response clocks read these).
MILESTONE = {State.SIGNED: "signed_at", State.DISPATCHED: "dispatched_at", State.FIXED: "fixed_at"}

CATEGORIES = (
    "floating_litter", "bank_litter", "illegal_dumping", "construction_waste", "sewage",
    "water_colour_smell", "dead_fish", "illegal_fishing", "damaged_facility", "other",
)
SIZED_CATEGORIES = ("floating_litter", "bank_litter", "illegal_dumping", "construction_waste")
SIZES = ("bag", "wheelbarrow", "truck")


class TransitionError(ValueError):
    pass


def kind_of(state: str) -> Kind:
    return KIND[State(state)]


def move(report: Report, to: State, *, actor: str = "", note: str = "", public: bool = True,
         at: datetime | None = None, step: str | None = None) -> StatusChange:
    """Change a report's state, stamp its milestone and record who, when, why and the step (the new
    state unless the caller names the step more exactly: on_site, cleaned, still_there ...)."""
    current = State(report.state)
    if to not in TRANSITIONS[current]:
        raise TransitionError(f"{current} -> {to}")
    at = at or utcnow()
    field = MILESTONE.get(to)
    if field and getattr(report, field) is None:
        setattr(report, field, at)
    if KIND[to] is Kind.CLOSED:
        report.closed_at = at
    elif KIND[to] is Kind.OPEN:
        report.closed_at = None
    report.state = to.value
    change = StatusChange(from_state=current.value, to_state=to.value, at=at, actor=actor,
                          note=note, public=public, step=step or to.value)
    report.history.append(change)
    return change
