"""Acting on one proposal: qingxi.core.acting with the proposal's checks in a fixed order (the
role, then whether the person may read it, then the per-object rule, then the state), and what
every act writes in the same transaction: one ProposalEvent (history: who, when, action,
from → to, why) and exactly one AuditEntry."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import proposals_queries as q
from db.models import Proposal, ProposalEvent, User
from qingxi.core import outbox, permissions
from qingxi.core.acting import Act, acting, snap
from qingxi.core.permissions import Denied
from qingxi.proposals import rules
from qingxi.proposals.checks import ProposalError

WATCHED = ("state", "lead_unit_id", "assigned_at", "deadline", "signed_at", "handling_since", "answered_at",
           "answer_class", "evaluation", "evaluated_at", "published_at", "withdrawn_at")


class Acting(Act):
    entity = "proposal"

    @property
    def proposal(self) -> Proposal:
        return self.target

    def event(self, action: str, note: str = "", *, to: str | None = None) -> None:
        self.session.add(ProposalEvent(
            proposal_id=self.proposal.id, at=self.at, user_id=self.actor.id, actor=self.actor.display_name,
            action=action, from_state=self.proposal.state, to_state=to or self.proposal.state, note=note))

    def move(self, action: str, to: str, note: str = "", **stamps) -> None:
        """A transition: history row (who/when/from → to/why), the new state and its stamps, one audit entry."""
        before = snap(self.proposal, *WATCHED)
        self.event(action, note, to=to)
        self.proposal.state = to
        for name, value in stamps.items():
            setattr(self.proposal, name, value)
        self.proposal.updated_at = self.at
        self.session.flush()
        self.audit(f"proposal.{action}", before, snap(self.proposal, *WATCHED), note)
        if to in ("assigned", "answered"):
            outbox.emit(self.session, f"proposal.{to}", {"proposal_id": self.proposal.id, "title": self.proposal.title,
                                                         "deadline": self.proposal.deadline},
                        unit_id=self.proposal.lead_unit_id, at=self.at)

    def record(self, action: str, note: str = "", before: dict | None = None, after: dict | None = None) -> None:
        """A recorded act without a change of state: history row and one audit entry."""
        self.event(action, note)
        self.session.flush()
        self.audit(f"proposal.{action}", before or {}, after or {}, note)


@contextmanager
def on_proposal(engine: Engine, user, proposal_id: int, action: str, now: datetime | None) -> Iterator[Acting]:
    """Role first (the public learns nothing about ids), then the proposal, then the object rule
    (rules.ACTIONS) and the state. The caller does the work; the transaction commits after the block."""
    perm, states, rule = rules.ACTIONS[action]
    with acting(engine, user, perm, now=now, context=Acting) as c:
        c.target = p = q.proposal(c.session, proposal_id)
        if p is None or not rules.can_read(c.actor, p):
            raise ProposalError("not_found")
        if not rule(c.actor, p):
            role = permissions.role_of(c.actor)
            permissions.log.warning("refused: %s (user %s) may not %s on proposal %s", role, c.actor.id, action, p.id)
            raise Denied(perm, role)
        if p.state not in states:
            early = action == "evaluate" and p.state in (*rules.BEFORE_ANSWER, "withdrawn")
            raise ProposalError("not_answered" if early else "wrong_state", state=p.state)
        yield c


def readable(s: Session, actor: User | None, proposal_id: int) -> Proposal:
    """The proposal for reading (unlocked); not_found when this person may not read it."""
    p = q.proposal(s, proposal_id, lock=False)
    if p is None or not rules.can_read(actor, p):
        raise ProposalError("not_found")
    return p
