"""The handling of a proposal, from filing to publication (Chinese deputy-proposal practice)::

    submitted ──assign (交办)──▶ assigned ──sign (签收)──▶ signed ──first contact──▶ handling
        ▲                          │                        │                         │
        └────── return_assignment (退回, ≤ 7 working days after assignment) ─────┘    answer
                                                                                       ▼
    handling ◀── evaluate "unsatisfied" (reasons required) ──────────────────────── answered
                                                                                       │ evaluate satisfied / basically
    published ◀──publish── evaluated ◀─────────────────────────────────────────────────┘
    withdrawn ◀── withdraw (lead deputy, before any answer, reason required)

- assign: staff pick the lead unit and co-handling units and the deadline (rules.default_deadline
  or an explicit later one, never in the past). return_assignment clears units and deadline.
- log_contact: the first contact after signing moves signed → handling. `answer` needs at least
  one contact recorded since the proposal was (re)opened for handling (`Proposal.handling_since`).
- answer: class A solved / B being solved / C planned / D explained, not feasible, a reply text and
  optional attachments (qingxi.proposals.files). Answers are rows: a later answer never changes an
  earlier one. `follow_up` adds a new answer to an evaluated or published B/C proposal (state
  unchanged).
- evaluate "unsatisfied" sends it back to handling: a new contact is then needed before the next answer.
- request_extension: the lead unit asks ONCE for 1–3 more months with a reason (signed/handling);
  decide_extension: staff approve (the deadline moves by that many months) or refuse.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine

from db import proposals_queries as q
from db.models import (
    ANSWER_CLASSES,
    CONTACT_METHODS,
    EVALUATIONS,
    Proposal,
    ProposalAnswer,
    ProposalAttachment,
    ProposalContact,
    ProposalEvent,
    ProposalExtension,
    ProposalSigner,
    ProposalUnit,
    ProposalVillage,
)
from qingxi.core import permissions
from qingxi.core.acting import acting, snap
from qingxi.core.permissions import Denied
from qingxi.proposals import checks, rules
from qingxi.proposals.acts import Acting, on_proposal
from qingxi.proposals.checks import MAX_NAME, MAX_TEXT, MAX_TITLE, ProposalError
from qingxi.proposals.files import staged_attachments
from qingxi.proposals.rules import EXTENSION_MONTHS, RETURN_WORKING_DAYS, TOPICS, local_day

# ---------------------------------------------------------------- filing

def file(engine: Engine, user, *, title: str, body: str, session_id: int, topic: str = "other",
         lead_deputy_id: int | None = None, lead_deputy_name: str | None = None,
         cosigners: Sequence[int | str] = (), filed_on: date | None = None, village_ids: Sequence[int] = (),
         km_from: float | None = None, km_to: float | None = None, number: str | None = None,
         is_demo: bool = False, now: datetime | None = None) -> int:
    """File a proposal (state submitted). Staff file for any deputy (an account or a plain name);
    a deputy files their own (they are the lead). `cosigners` are user ids (int) or names (str).
    `number` defaults to "<congress>-<meeting>-NNN"."""
    title = checks.text(title, most=MAX_TITLE)
    body = checks.text(body, most=MAX_TEXT)
    checks.one_of(topic, TOPICS, "bad_topic")
    name = checks.text(lead_deputy_name, required=False, most=MAX_NAME)
    names = [checks.text(c, "bad_deputy", most=MAX_NAME) if isinstance(c, str) else c for c in cosigners]
    checks.km_range(km_from, km_to)
    with acting(engine, user, "proposal.file", now=now, context=Acting) as c:
        s, actor = c.session, c.actor
        if not rules.is_staff(actor):  # a deputy files their own
            if lead_deputy_id not in (None, actor.id) or name:
                raise Denied("proposal.file", permissions.role_of(actor))
            lead_deputy_id = actor.id
        cs = q.session_row(s, session_id)
        if cs is None:
            raise ProposalError("bad_session")
        lead = None
        if lead_deputy_id is not None:
            lead = q.user(s, lead_deputy_id)
            if lead is None or lead.role != "deputy":
                raise ProposalError("bad_deputy")
        elif not name:
            raise ProposalError("bad_deputy")
        signers = []
        for n in names:
            if isinstance(n, str):
                signers.append(ProposalSigner(name=n))
            else:
                account = q.user(s, n)
                if account is None or account.role != "deputy" or n == lead_deputy_id:
                    raise ProposalError("bad_deputy")
                signers.append(ProposalSigner(user_id=n, name=account.display_name))
        villages = q.villages(s, set(village_ids))
        if len(villages) != len(set(village_ids)):
            raise ProposalError("bad_village")
        number = checks.text(number, required=False, most=32) or \
            f"{cs.congress}-{cs.meeting}-{q.count_in_session(s, cs.id) + 1:03d}"
        if q.number_taken(s, number):
            raise ProposalError("number_taken", number=number)
        c.target = p = Proposal(
            number=number, title=title, body=body, session_id=cs.id, topic=topic,
            lead_deputy_id=lead.id if lead else None, lead_deputy_name=lead.display_name if lead else name,
            filed_on=filed_on or local_day(c.at), km_from=km_from, km_to=km_to, state="submitted",
            is_demo=is_demo, created_at=c.at, updated_at=c.at,
            cosigners=signers, villages=[ProposalVillage(village_id=v.id) for v in villages])
        q.add(s, p)
        s.add(ProposalEvent(proposal_id=p.id, at=c.at, user_id=actor.id, actor=actor.display_name, action="file",
                            from_state=None, to_state="submitted"))
        c.audit("proposal.file", {}, {"number": number, "title": title, "state": "submitted"})
        return p.id


# ---------------------------------------------------------------- assignment and signing

def assign(engine: Engine, user, proposal_id: int, lead_unit_id: int, co_unit_ids: Sequence[int] = (),
           deadline: datetime | None = None, note: str = "", now: datetime | None = None) -> None:
    """交办: submitted → assigned to a lead unit and co-handling units; deadline = now + 3 months,
    or the explicit `deadline` (aware; refused when not in the future)."""
    note = checks.text(note, required=False)
    co = list(dict.fromkeys(co_unit_ids))
    if lead_unit_id in co:
        raise ProposalError("bad_unit")
    with on_proposal(engine, user, proposal_id, "assign", now) as c:
        for unit_id in (lead_unit_id, *co):
            unit = q.unit(c.session, unit_id)
            if unit is None or not unit.active:
                raise ProposalError("bad_unit")
        if deadline is not None and (deadline.tzinfo is None or deadline <= c.at):
            raise ProposalError("deadline_past")
        c.proposal.co_units = [ProposalUnit(unit_id=u) for u in co]
        c.move("assign", "assigned", note, lead_unit_id=lead_unit_id, assigned_at=c.at,
               deadline=deadline or rules.default_deadline(c.at), signed_at=None, handling_since=None)


def sign(engine: Engine, user, proposal_id: int, now: datetime | None = None) -> None:
    """签收: the lead unit (or staff on its behalf) signs: assigned → signed."""
    with on_proposal(engine, user, proposal_id, "sign", now) as c:
        c.move("sign", "signed", signed_at=c.at)


def return_assignment(engine: Engine, user, proposal_id: int, reason: str, now: datetime | None = None) -> None:
    """退回: the lead unit says the assignment is wrong, within 7 working days of it → submitted
    (units, deadline and signature cleared) for staff to assign again."""
    reason = checks.text(reason, "reason_needed")
    with on_proposal(engine, user, proposal_id, "return", now) as c:
        if local_day(c.at) > rules.return_open_until(c.proposal.assigned_at):
            raise ProposalError("return_too_late", days=RETURN_WORKING_DAYS)
        c.proposal.co_units = []
        c.move("return", "submitted", reason, lead_unit_id=None, assigned_at=None, deadline=None,
               signed_at=None, handling_since=None)


# ---------------------------------------------------------------- handling

def log_contact(engine: Engine, user, proposal_id: int, contacted_on: date, method: str, summary: str,
                now: datetime | None = None) -> int:
    """The lead or a co-handling unit records a contact with the deputy; the first one after
    signing starts the handling (signed → handling). A contact date in the future is refused."""
    checks.one_of(method, CONTACT_METHODS, "bad_method")
    summary = checks.text(summary)
    if not isinstance(contacted_on, date) or isinstance(contacted_on, datetime):
        raise ProposalError("bad_date")
    with on_proposal(engine, user, proposal_id, "contact", now) as c:
        if contacted_on > local_day(c.at):
            raise ProposalError("bad_date")
        unit_id = rules.handler_unit(c.actor) or c.proposal.lead_unit_id
        row = ProposalContact(proposal_id=c.proposal.id, contacted_on=contacted_on, method=method, summary=summary,
                              unit_id=unit_id, author_id=c.actor.id, author_name=c.actor.display_name, at=c.at)
        q.add(c.session, row)
        if c.proposal.state == "signed":
            c.move("handle", "handling", "", handling_since=c.at)
        else:
            c.audit("proposal.contact", {}, {"contact_id": row.id, "method": method})
        return row.id


def _add_answer(c: Acting, klass: str, text: str, rows: list[ProposalAttachment], *,
                follow_up: bool) -> ProposalAnswer:
    row = ProposalAnswer(proposal_id=c.proposal.id, answer_class=klass, text=text, unit_id=c.proposal.lead_unit_id,
                         author_id=c.actor.id, author_name=c.actor.display_name, follow_up=follow_up, at=c.at,
                         attachments=rows)
    q.add(c.session, row)
    return row


def answer(engine: Engine, user, proposal_id: int, answer_class: str, text: str,
           attachments: Sequence[tuple[str, bytes]] = (), now: datetime | None = None,
           photo_dir: Path | None = None) -> int:
    """答复: handling → answered, class A/B/C/D, the reply and optional (label, bytes) attachments.
    Needs a contact with the deputy recorded since the proposal was (re)opened for handling."""
    checks.one_of(answer_class, ANSWER_CLASSES, "bad_class")
    text = checks.text(text, most=MAX_TEXT)
    with staged_attachments(attachments, photo_dir) as rows, \
            on_proposal(engine, user, proposal_id, "answer", now) as c:
        if not q.contacts_since(c.session, c.proposal.id, c.proposal.handling_since):
            raise ProposalError("contact_needed")
        row = _add_answer(c, answer_class, text, rows, follow_up=False)
        c.move("answer", "answered", f"{answer_class}", answered_at=c.at, answer_class=answer_class,
               evaluation=None, evaluated_at=None)
        return row.id


def follow_up(engine: Engine, user, proposal_id: int, answer_class: str, text: str,
              attachments: Sequence[tuple[str, bytes]] = (), now: datetime | None = None,
              photo_dir: Path | None = None) -> int:
    """A further answer on an evaluated or published B/C proposal (state unchanged); earlier
    answers stay. The proposal keeps "tracking" until its latest class is A."""
    checks.one_of(answer_class, ANSWER_CLASSES, "bad_class")
    text = checks.text(text, most=MAX_TEXT)
    with staged_attachments(attachments, photo_dir) as rows, \
            on_proposal(engine, user, proposal_id, "follow_up", now) as c:
        if c.proposal.answer_class not in ("B", "C"):
            raise ProposalError("not_tracking")
        before = snap(c.proposal, "answer_class")
        row = _add_answer(c, answer_class, text, rows, follow_up=True)
        c.proposal.answer_class = answer_class
        c.proposal.updated_at = c.at
        c.record("follow_up", answer_class, before, snap(c.proposal, "answer_class") | {"answer_id": row.id})
        return row.id


def evaluate(engine: Engine, user, proposal_id: int, evaluation: str, reason: str = "",
             now: datetime | None = None) -> None:
    """The lead deputy's verdict on the answer: satisfied / basically → evaluated; unsatisfied
    (reasons required) → handling again."""
    checks.one_of(evaluation, EVALUATIONS, "bad_evaluation")
    reason = checks.text(reason, "reason_needed", required=evaluation == "unsatisfied")
    with on_proposal(engine, user, proposal_id, "evaluate", now) as c:
        if evaluation == "unsatisfied":
            c.move("evaluate", "handling", reason, evaluation=evaluation, evaluated_at=c.at, handling_since=c.at)
        else:
            c.move("evaluate", "evaluated", reason, evaluation=evaluation, evaluated_at=c.at)


def publish(engine: Engine, user, proposal_id: int, now: datetime | None = None) -> None:
    """Staff publish an evaluated proposal: the public sees published proposals only."""
    with on_proposal(engine, user, proposal_id, "publish", now) as c:
        c.move("publish", "published", published_at=c.at)


def withdraw(engine: Engine, user, proposal_id: int, reason: str, now: datetime | None = None) -> None:
    """The lead deputy withdraws it before any answer, with a reason."""
    reason = checks.text(reason, "reason_needed")
    with on_proposal(engine, user, proposal_id, "withdraw", now) as c:
        if c.proposal.answered_at is not None:
            raise ProposalError("already_answered")
        c.move("withdraw", "withdrawn", reason, withdrawn_at=c.at)


# ---------------------------------------------------------------- extension

def request_extension(engine: Engine, user, proposal_id: int, months: int, reason: str,
                      now: datetime | None = None) -> None:
    """The lead unit asks once for 1–3 more months (signed or handling)."""
    if months not in EXTENSION_MONTHS or isinstance(months, bool):
        raise ProposalError("bad_months")
    reason = checks.text(reason, "reason_needed")
    with on_proposal(engine, user, proposal_id, "request_extension", now) as c:
        if q.extension(c.session, c.proposal.id) is not None:
            raise ProposalError("extension_twice")
        q.add(c.session, ProposalExtension(proposal_id=c.proposal.id, months=months, reason=reason,
                                           requested_by_id=c.actor.id, requested_by_name=c.actor.display_name,
                                           requested_at=c.at))
        c.record("extension_request", reason, {}, {"months": months})


def decide_extension(engine: Engine, user, proposal_id: int, approve: bool, note: str = "",
                     now: datetime | None = None) -> None:
    """Staff approve (the deadline moves by the months asked) or refuse the pending request."""
    note = checks.text(note, required=False)
    with on_proposal(engine, user, proposal_id, "decide_extension", now) as c:
        ext = q.extension(c.session, c.proposal.id)
        if ext is None or ext.decision is not None:
            raise ProposalError("no_extension_pending")
        before = snap(c.proposal, "deadline")
        ext.decision = "approved" if approve else "refused"
        ext.decided_by_id, ext.decided_by_name, ext.decided_at, ext.decision_note = (
            c.actor.id, c.actor.display_name, c.at, note)
        if approve:
            c.proposal.deadline = rules.extend(c.proposal.deadline, ext.months)
            c.proposal.updated_at = c.at
        c.record(f"extension_{ext.decision}", note, before,
                 snap(c.proposal, "deadline") | {"decision": ext.decision})
