"""Deputies' proposals on SQLite and PostgreSQL: the lifecycle with a frozen clock, permissions per
role, results and roll-up, evidence links, and every kind of bad input refused with its key and
the database unchanged."""
from __future__ import annotations

import io
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from db.engine import session_scope
from db.models import (
    AuditEntry,
    Base,
    CongressSession,
    Photo,
    Proposal,
    ProposalReportLink,
    ProposalResult,
    Report,
    Unit,
    User,
)
from qingxi import proposals as P
from qingxi.core import photos, places
from qingxi.core.permissions import Denied
from qingxi.proposals import ProposalError, RegisterFilter

T0 = datetime(2026, 6, 1, 2, 0, tzinfo=timezone.utc)  # Monday 10:00 in Shanghai
ROLES = ("public", "lead", "cosigner", "other_deputy", "lead_handler", "co_handler", "other_handler", "staff",
         "admin")


@dataclass
class World:
    engine: object
    users: dict
    u_lead: int
    u_co: int
    u_other: int
    session_id: int
    village: int
    photo_dir: Path


@pytest.fixture
def w(people, tmp_path) -> World:
    with session_scope(people.engine) as s:
        # beyond People: the lead unit and its handler (both named in the assertions), a third deputy to
        # cosign, and a congress session
        water = Unit(name="三门县水利局")
        s.add(water)
        cs = CongressSession(name_zh="三门县第十六届人民代表大会第一次会议", name_en="1st", congress=16, meeting=1,
                             held_on=date(2017, 1, 10))
        s.add(cs)
        s.flush()
        lead_handler = User(username="shuili", display_name="水利老王", role="handler", unit_id=water.id)
        cosigner = User(username="zhang", display_name="张代表", role="deputy")
        s.add_all([lead_handler, cosigner])
        s.flush()
    users = {"public": None, "lead": people.deputy, "cosigner": cosigner, "other_deputy": people.other_deputy,
             "lead_handler": lead_handler, "co_handler": people.other_handler, "other_handler": people.handler,
             "staff": people.staff, "admin": people.admin}
    return World(people.engine, users, water.id, people.other_unit, people.unit, cs.id, people.village,
                 tmp_path / "photos")


def u(w: World, role: str):
    return w.users[role]


def new_proposal(w: World, **kw) -> int:
    fields = dict(title="关于深化清溪两岸综合整治的建议", body="清溪两岸垃圾多，建议整治。", session_id=w.session_id,
                  topic="bank_improvement", lead_deputy_id=u(w, "lead").id, cosigners=[u(w, "cosigner").id, "王五"],
                  village_ids=[w.village], km_from=1.0, km_to=3.5, now=T0) | kw
    return P.file(w.engine, u(w, "staff"), **fields)


def to_state(w: World, state: str, **kw) -> int:
    """A proposal walked through the real services up to `state` (a day per step)."""
    pid = new_proposal(w, **kw)
    steps = {
        "assigned": lambda: P.assign(w.engine, u(w, "staff"), pid, w.u_lead, [w.u_co], now=T0),
        "signed": lambda: P.sign(w.engine, u(w, "lead_handler"), pid, now=T0 + timedelta(days=1)),
        "handling": lambda: P.log_contact(w.engine, u(w, "lead_handler"), pid, date(2026, 6, 2), "phone",
                                          "电话联系周代表，商定现场查看。",
                                          now=T0 + timedelta(days=1, hours=1)),
        "answered": lambda: P.answer(w.engine, u(w, "lead_handler"), pid, "B", "已列入 2026 年美丽河湖计划。",
                                     now=T0 + timedelta(days=10), photo_dir=w.photo_dir),
        "evaluated": lambda: P.evaluate(w.engine, u(w, "lead"), pid, "satisfied", now=T0 + timedelta(days=12)),
        "published": lambda: P.publish(w.engine, u(w, "staff"), pid, now=T0 + timedelta(days=13)),
    }
    for name, step in steps.items():
        if state == "submitted":
            break
        step()
        if name == state:
            break
    return pid


def snapshot(engine) -> dict:
    """Every row of every table that exists (the whole database: nothing may change on a refusal)."""
    existing = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        return {t.name: conn.execute(select(t).order_by(*t.primary_key.columns)).all()
                for t in Base.metadata.sorted_tables if t.name in existing}


def state_of(w: World, pid: int) -> Proposal:
    with session_scope(w.engine) as s:
        return s.get(Proposal, pid)


def audits(w: World, action: str | None = None) -> list[AuditEntry]:
    with session_scope(w.engine) as s:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        return list(s.scalars(query))


def refused(w: World, key: str, call, *args, **kw) -> ProposalError:
    """The call raises ProposalError(key) and the database is exactly as it was."""
    before = snapshot(w.engine)
    with pytest.raises(ProposalError) as err:
        call(*args, **kw)
    assert err.value.key == key
    assert snapshot(w.engine) == before
    return err.value


def denied(w: World, call, *args, **kw) -> None:
    before = snapshot(w.engine)
    with pytest.raises((Denied, ProposalError)) as err:
        call(*args, **kw)
    if isinstance(err.value, ProposalError):
        assert err.value.key == "not_found"  # nothing leaks about a proposal one may not read
    assert snapshot(w.engine) == before


def jpeg(size=(64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buf, "JPEG")
    return buf.getvalue()


# ---------------------------------------------------------------- the whole lifecycle

def test_the_lifecycle_from_filing_to_publication_keeps_every_step(w):
    pid = to_state(w, "published")
    p = state_of(w, pid)
    assert (p.state, p.answer_class, p.evaluation) == ("published", "B", "satisfied")
    assert p.assigned_at == T0 and p.deadline == datetime(2026, 9, 1, 2, tzinfo=timezone.utc)
    assert p.published_at == T0 + timedelta(days=13)
    d = P.detail(w.engine, u(w, "staff"), pid, now=T0 + timedelta(days=14))
    assert [(e.action, e.from_state, e.to_state) for e in d.history] == [
        ("file", None, "submitted"), ("assign", "submitted", "assigned"), ("sign", "assigned", "signed"),
        ("handle", "signed", "handling"), ("answer", "handling", "answered"),
        ("evaluate", "answered", "evaluated"), ("publish", "evaluated", "published")]
    assert [e.actor for e in d.history] == ["梅站长", "梅站长", "水利老王", "水利老王", "水利老王", "周代表", "梅站长"]
    assert d.row.tracking  # B stays tracked
    assert [a.action for a in audits(w)] == [
        "proposal.file", "proposal.assign", "proposal.sign", "proposal.handle", "proposal.answer",
        "proposal.evaluate", "proposal.publish"]
    # the lead unit follows up: a new answer row, the B answer stays, tracking ends with A
    P.follow_up(w.engine, u(w, "lead_handler"), pid, "A", "绿道和亲水平台已建成。", now=T0 + timedelta(days=90))
    d = P.detail(w.engine, None, pid, now=T0 + timedelta(days=91))
    assert [(a.answer_class, a.follow_up) for a in d.answers] == [("B", False), ("A", True)]
    assert d.answers[0].text == "已列入 2026 年美丽河湖计划。"
    assert (d.row.answer_class, d.row.tracking, d.row.state) == ("A", False, "published")


def test_unsatisfied_goes_back_to_handling_and_the_first_answer_is_kept(w):
    pid = to_state(w, "answered")
    refused(w, "reason_needed", P.evaluate, w.engine, u(w, "lead"), pid, "unsatisfied", "  ",
            now=T0 + timedelta(days=11))
    P.evaluate(w.engine, u(w, "lead"), pid, "unsatisfied", "只列入计划，没有时间表。", now=T0 + timedelta(days=11))
    p = state_of(w, pid)
    assert (p.state, p.evaluation, p.handling_since) == ("handling", "unsatisfied", T0 + timedelta(days=11))
    # the old contact was before the re-opening: a new one is needed
    refused(w, "contact_needed", P.answer, w.engine, u(w, "lead_handler"), pid, "A", "已完成。",
            now=T0 + timedelta(days=20))
    P.log_contact(w.engine, u(w, "lead_handler"), pid, date(2026, 6, 20), "visit", "上门听取意见。",
                  now=T0 + timedelta(days=19))
    P.answer(w.engine, u(w, "lead_handler"), pid, "A", "已完成整治。", now=T0 + timedelta(days=20))
    d = P.detail(w.engine, u(w, "lead"), pid, now=T0 + timedelta(days=21))
    assert [a.answer_class for a in d.answers] == ["B", "A"]
    assert [e.action for e in d.history if e.action in ("answer", "evaluate")] == ["answer", "evaluate", "answer"]
    assert d.history[5].note == "只列入计划，没有时间表。"
    assert d.row.state == "answered" and d.row.evaluation is None and "evaluate" in d.actions


def test_answer_needs_a_contact_log_entry(w):
    pid = to_state(w, "signed")
    # no contact: still signed, answering is a state error; with handling but no contact it is the contact rule
    refused(w, "wrong_state", P.answer, w.engine, u(w, "lead_handler"), pid, "A", "已解决。", now=T0)
    with session_scope(w.engine) as s:  # handling without any contact (as a migration of old data might leave it)
        s.get(Proposal, pid).state = "handling"
    refused(w, "contact_needed", P.answer, w.engine, u(w, "lead_handler"), pid, "A", "已解决。",
            now=T0 + timedelta(days=3))


def test_sign_and_contacts_by_units(w):
    pid = to_state(w, "assigned")
    denied(w, P.sign, w.engine, u(w, "co_handler"), pid, now=T0)     # only the lead unit signs
    P.sign(w.engine, u(w, "lead_handler"), pid, now=T0 + timedelta(hours=2))
    refused(w, "wrong_state", P.sign, w.engine, u(w, "lead_handler"), pid, now=T0 + timedelta(hours=3))
    # a co-handling unit may log a contact (the first starts the handling)
    P.log_contact(w.engine, u(w, "co_handler"), pid, date(2026, 6, 1), "meeting", "联络站座谈。",
                  now=T0 + timedelta(hours=4))
    assert state_of(w, pid).state == "handling"
    denied(w, P.log_contact, w.engine, u(w, "other_handler"), pid, date(2026, 6, 1), "phone", "x", now=T0)
    denied(w, P.answer, w.engine, u(w, "co_handler"), pid, "A", "我们答复", now=T0 + timedelta(days=1))
    # staff may answer on the lead unit's behalf; the answer is the lead unit's
    P.answer(w.engine, u(w, "staff"), pid, "C", "列入明年计划。", now=T0 + timedelta(days=2))
    d = P.detail(w.engine, u(w, "staff"), pid, now=T0 + timedelta(days=2))
    assert d.answers[0].unit == "三门县水利局" and d.answers[0].author == "梅站长"
    assert [c.unit for c in d.contacts] == ["沙柳街道办事处"]


def test_a_contact_date_in_the_future_or_an_unknown_method_is_refused(w):
    pid = to_state(w, "signed")
    refused(w, "bad_date", P.log_contact, w.engine, u(w, "lead_handler"), pid, date(2026, 6, 3), "phone", "x",
            now=T0)
    refused(w, "bad_method", P.log_contact, w.engine, u(w, "lead_handler"), pid, date(2026, 6, 1), "pigeon", "x",
            now=T0)
    refused(w, "text_needed", P.log_contact, w.engine, u(w, "lead_handler"), pid, date(2026, 6, 1), "phone", " ",
            now=T0)


# ---------------------------------------------------------------- assignment, return, deadlines

def test_assignment_sets_the_three_month_deadline_or_an_explicit_future_one(w):
    pid = new_proposal(w)
    refused(w, "deadline_past", P.assign, w.engine, u(w, "staff"), pid, w.u_lead,
            deadline=T0 - timedelta(days=1), now=T0)
    refused(w, "bad_unit", P.assign, w.engine, u(w, "staff"), pid, w.u_lead, [w.u_lead], now=T0)
    refused(w, "bad_unit", P.assign, w.engine, u(w, "staff"), pid, 999, now=T0)
    denied(w, P.assign, w.engine, u(w, "lead_handler"), pid, w.u_lead, now=T0)
    P.assign(w.engine, u(w, "staff"), pid, w.u_lead, [w.u_co], deadline=T0 + timedelta(days=45), now=T0)
    d = P.detail(w.engine, u(w, "staff"), pid, now=T0 + timedelta(days=5))
    assert d.row.deadline == T0 + timedelta(days=45) and d.row.days_left == 40
    assert d.co_units == [(w.u_co, "沙柳街道办事处")] and d.row.holder_kind == "unit" and d.row.holder == "三门县水利局"
    assert d.return_until == date(2026, 6, 10)


def test_a_unit_returns_a_wrong_assignment_within_seven_working_days(w):
    pid = to_state(w, "signed")  # assigned Monday 2026-06-01
    late = datetime(2026, 6, 11, 2, tzinfo=timezone.utc)  # the 8th working day
    refused(w, "return_too_late", P.return_assignment, w.engine, u(w, "lead_handler"), pid, "不属于我局职责",
            now=late)
    refused(w, "reason_needed", P.return_assignment, w.engine, u(w, "lead_handler"), pid, "", now=T0)
    denied(w, P.return_assignment, w.engine, u(w, "co_handler"), pid, "不是我们", now=T0)
    last = datetime(2026, 6, 10, 15, 0, tzinfo=timezone.utc)  # 23:00 on the 7th working day in Shanghai
    P.return_assignment(w.engine, u(w, "lead_handler"), pid, "应由文旅局主办", now=last)
    p = state_of(w, pid)
    assert (p.state, p.lead_unit_id, p.deadline, p.signed_at) == ("submitted", None, None, None)
    # the unit no longer reads it; staff assign it again with a new deadline
    denied(w, P.detail, w.engine, u(w, "lead_handler"), pid)
    P.assign(w.engine, u(w, "staff"), pid, w.u_other, now=last + timedelta(days=1))
    p = state_of(w, pid)
    assert p.lead_unit_id == w.u_other and p.deadline == last + timedelta(days=1) + (p.deadline - p.assigned_at)
    assert p.deadline == datetime(2026, 9, 11, 15, 0, tzinfo=timezone.utc)
    history = P.detail(w.engine, u(w, "staff"), pid).history
    assert [(e.action, e.note) for e in history][-2:] == [("return", "应由文旅局主办"), ("assign", "")]


def test_overdue_proposals_are_flagged_and_listed(w):
    pid = to_state(w, "handling")
    before = T0 + timedelta(days=90)  # 2026-08-30
    assert P.overdue(w.engine, u(w, "staff"), now=before) == []
    after = datetime(2026, 9, 4, 2, tzinfo=timezone.utc)
    [row] = P.overdue(w.engine, u(w, "staff"), now=after)
    assert (row.id, row.overdue, row.days_left) == (pid, True, -3)
    mine = P.my_proposals(w.engine, u(w, "lead"), now=after)
    assert [(a.kind, a.days) for a in mine.alerts] == [("overdue", 3)]
    assert P.overdue(w.engine, None, now=after) == []  # the public does not see unpublished ones
    assert P.overdue(w.engine, u(w, "other_handler"), now=after) == []
    # answering ends the overdue flag
    P.answer(w.engine, u(w, "lead_handler"), pid, "A", "已解决。", now=after)
    assert P.overdue(w.engine, u(w, "staff"), now=after) == []
    assert [a.kind for a in P.my_proposals(w.engine, u(w, "lead"), now=after).alerts] == ["awaiting_evaluation"]
    assert P.my_proposals(w.engine, u(w, "cosigner"), now=after).alerts == []  # only the lead evaluates


# ---------------------------------------------------------------- extension

def test_one_extension_approved_moves_the_deadline(w):
    pid = to_state(w, "handling")
    refused(w, "bad_months", P.request_extension, w.engine, u(w, "lead_handler"), pid, 4, "需要时间", now=T0)
    refused(w, "bad_months", P.request_extension, w.engine, u(w, "lead_handler"), pid, 0, "需要时间", now=T0)
    refused(w, "reason_needed", P.request_extension, w.engine, u(w, "lead_handler"), pid, 2, "", now=T0)
    refused(w, "no_extension_pending", P.decide_extension, w.engine, u(w, "staff"), pid, True, now=T0)
    denied(w, P.request_extension, w.engine, u(w, "co_handler"), pid, 2, "需要时间", now=T0)
    P.request_extension(w.engine, u(w, "lead_handler"), pid, 2, "需等汛期过后施工", now=T0 + timedelta(days=30))
    refused(w, "extension_twice", P.request_extension, w.engine, u(w, "lead_handler"), pid, 1, "再延一次",
            now=T0 + timedelta(days=31))
    denied(w, P.decide_extension, w.engine, u(w, "lead_handler"), pid, True, now=T0 + timedelta(days=31))
    P.decide_extension(w.engine, u(w, "staff"), pid, True, "同意", now=T0 + timedelta(days=32))
    assert state_of(w, pid).deadline == datetime(2026, 11, 1, 2, tzinfo=timezone.utc)
    refused(w, "no_extension_pending", P.decide_extension, w.engine, u(w, "staff"), pid, False,
            now=T0 + timedelta(days=33))
    refused(w, "extension_twice", P.request_extension, w.engine, u(w, "lead_handler"), pid, 1, "再延一次",
            now=T0 + timedelta(days=34))
    d = P.detail(w.engine, u(w, "lead"), pid, now=T0 + timedelta(days=34))
    assert (d.extension.months, d.extension.decision, d.extension.decided_by) == (2, "approved", "梅站长")
    assert "request_extension" not in P.detail(w.engine, u(w, "lead_handler"), pid).actions
    [entry] = audits(w, "proposal.extension_approved")
    assert json.loads(entry.after)["deadline"].startswith("2026-11-01")


def test_a_refused_extension_keeps_the_deadline_and_cannot_be_asked_again(w):
    pid = to_state(w, "signed")
    P.request_extension(w.engine, u(w, "staff"), pid, 3, "代单位申请", now=T0 + timedelta(days=2))
    P.decide_extension(w.engine, u(w, "admin"), pid, False, "理由不足", now=T0 + timedelta(days=3))
    assert state_of(w, pid).deadline == datetime(2026, 9, 1, 2, tzinfo=timezone.utc)
    refused(w, "extension_twice", P.request_extension, w.engine, u(w, "lead_handler"), pid, 1, "再试",
            now=T0 + timedelta(days=4))


# ---------------------------------------------------------------- evaluation, withdrawal, publication

def test_evaluation_only_by_the_lead_deputy_and_only_once_answered(w):
    pid = to_state(w, "handling")
    refused(w, "not_answered", P.evaluate, w.engine, u(w, "lead"), pid, "satisfied", now=T0 + timedelta(days=5))
    P.answer(w.engine, u(w, "lead_handler"), pid, "A", "已解决。", now=T0 + timedelta(days=6))
    for role in ("cosigner", "other_deputy", "staff", "admin", "lead_handler", "public"):
        denied(w, P.evaluate, w.engine, u(w, role), pid, "satisfied", now=T0 + timedelta(days=7))
    refused(w, "bad_evaluation", P.evaluate, w.engine, u(w, "lead"), pid, "great", now=T0 + timedelta(days=7))
    P.evaluate(w.engine, u(w, "lead"), pid, "basically", now=T0 + timedelta(days=7))
    refused(w, "wrong_state", P.evaluate, w.engine, u(w, "lead"), pid, "satisfied", now=T0 + timedelta(days=8))
    denied(w, P.publish, w.engine, u(w, "lead"), pid, now=T0 + timedelta(days=8))
    P.publish(w.engine, u(w, "admin"), pid, now=T0 + timedelta(days=8))
    refused(w, "wrong_state", P.publish, w.engine, u(w, "staff"), pid, now=T0 + timedelta(days=9))


def test_staff_record_the_verdict_of_a_lead_deputy_without_an_account(w):
    pid = to_state(w, "answered", lead_deputy_id=None, lead_deputy_name="周衍超", cosigners=["张学法"])
    denied(w, P.evaluate, w.engine, u(w, "lead"), pid, "satisfied", now=T0 + timedelta(days=11))
    P.evaluate(w.engine, u(w, "staff"), pid, "satisfied", "代表书面反馈满意", now=T0 + timedelta(days=11))
    assert state_of(w, pid).state == "evaluated"


def test_withdrawal_by_the_lead_deputy_before_an_answer(w):
    pid = to_state(w, "signed")
    denied(w, P.withdraw, w.engine, u(w, "cosigner"), pid, "不需要了", now=T0)
    denied(w, P.withdraw, w.engine, u(w, "staff"), pid, "不需要了", now=T0)
    refused(w, "reason_needed", P.withdraw, w.engine, u(w, "lead"), pid, " ", now=T0)
    P.withdraw(w.engine, u(w, "lead"), pid, "问题已由村里解决", now=T0 + timedelta(days=2))
    p = state_of(w, pid)
    assert (p.state, p.withdrawn_at) == ("withdrawn", T0 + timedelta(days=2))
    refused(w, "wrong_state", P.sign, w.engine, u(w, "lead_handler"), pid, now=T0 + timedelta(days=3))

    answered = to_state(w, "answered")
    refused(w, "wrong_state", P.withdraw, w.engine, u(w, "lead"), answered, "晚了", now=T0 + timedelta(days=11))
    P.evaluate(w.engine, u(w, "lead"), answered, "unsatisfied", "不满意", now=T0 + timedelta(days=11))
    refused(w, "already_answered", P.withdraw, w.engine, u(w, "lead"), answered, "还是撤回",
            now=T0 + timedelta(days=12))


def test_follow_up_only_on_tracked_b_and_c(w):
    pid = to_state(w, "evaluated")
    denied(w, P.follow_up, w.engine, u(w, "co_handler"), pid, "A", "已建成", now=T0 + timedelta(days=20))
    P.follow_up(w.engine, u(w, "lead_handler"), pid, "C", "调整为分步实施", now=T0 + timedelta(days=20))
    P.follow_up(w.engine, u(w, "lead_handler"), pid, "A", "全部建成", now=T0 + timedelta(days=60))
    refused(w, "not_tracking", P.follow_up, w.engine, u(w, "lead_handler"), pid, "A", "再次", now=T0 + timedelta(days=61))
    assert [a.answer_class for a in P.detail(w.engine, u(w, "lead"), pid).answers] == ["B", "C", "A"]
    assert [e.action for e in P.detail(w.engine, u(w, "lead"), pid).history].count("follow_up") == 2


# ---------------------------------------------------------------- reading: who sees what

def test_who_reads_an_unpublished_proposal(w):
    pid = to_state(w, "handling")
    readers = {}
    for role in ROLES:
        try:
            P.detail(w.engine, u(w, role), pid, now=T0)
            readers[role] = True
        except ProposalError as err:
            assert err.key == "not_found"
            readers[role] = False
    assert readers == {"public": False, "lead": True, "cosigner": True, "other_deputy": False, "lead_handler": True,
                       "co_handler": True, "other_handler": False, "staff": True, "admin": True}
    with pytest.raises(ProposalError) as err:
        P.detail(w.engine, None, 99999)
    assert err.value.key == "not_found"  # the same answer as for an existing unpublished one


def test_the_register_per_role_and_the_public_filters(w):
    published = to_state(w, "published")
    handling = to_state(w, "handling", title="关于要求启动清溪休闲旅游区建设的建议", topic="tourism_leisure",
                        village_ids=[], cosigners=[])
    other = new_proposal(w, lead_deputy_id=u(w, "other_deputy").id, cosigners=[], title="其他建议", topic="sewage")
    seen = {role: {r.id for r in P.register(w.engine, u(w, role), now=T0)} for role in ROLES}
    assert seen["public"] == {published}
    assert seen["staff"] == seen["admin"] == {published, handling, other}
    assert seen["lead"] == {published, handling} and seen["cosigner"] == {published}
    assert seen["other_deputy"] == {published, other}
    assert seen["lead_handler"] == {published, handling} and seen["co_handler"] == {published, handling}
    assert seen["other_handler"] == {published}
    flags = {r.id: r.my_role for r in P.register(w.engine, u(w, "cosigner"), now=T0)}
    assert flags == {published: "co"}
    # public rows never carry the contact log
    [row] = P.register(w.engine, None, now=T0)
    assert row.last_contact is None and row.state == "published"
    assert [r.last_contact for r in P.register(w.engine, u(w, "lead"), RegisterFilter(state="handling"))] == [
        date(2026, 6, 2)]
    staff = u(w, "staff")
    assert {r.id for r in P.register(w.engine, staff, RegisterFilter(topic="sewage"))} == {other}
    assert {r.id for r in P.register(w.engine, staff, RegisterFilter(village_id=w.village))} == {published, other}
    assert {r.id for r in P.register(w.engine, staff, RegisterFilter(session_id=w.session_id))} == {
        published, handling, other}
    assert {r.id for r in P.register(w.engine, staff, RegisterFilter(unit_id=w.u_co))} == {published, handling}
    assert P.register(w.engine, None, RegisterFilter(state="handling")) == []


def test_contacts_are_for_the_people_on_the_proposal(w):
    pid = to_state(w, "published")
    for role, sees in {"public": False, "other_deputy": False, "other_handler": False, "lead": True,
                       "cosigner": True, "co_handler": True, "staff": True}.items():
        d = P.detail(w.engine, u(w, role), pid)
        assert (d.contacts is not None) is sees, role
        assert any(i.kind == "contact" for i in d.timeline) is sees, role


def test_allowed_actions_follow_state_and_person(w):
    pid = to_state(w, "signed")
    acts = {role: P.detail(w.engine, u(w, role), pid, now=T0 + timedelta(days=1)).actions
            for role in ("lead", "cosigner", "lead_handler", "co_handler", "staff")}
    assert acts["lead"] == ["withdraw", "link"]
    assert acts["cosigner"] == ["link"]
    assert acts["lead_handler"] == ["return", "contact", "request_extension", "result"]
    assert acts["co_handler"] == ["contact", "result"]
    assert acts["staff"] == ["return", "contact", "request_extension", "result", "link"]
    late = P.detail(w.engine, u(w, "lead_handler"), pid, now=T0 + timedelta(days=30)).actions
    assert "return" not in late


# ---------------------------------------------------------------- filing

def test_filing_checks_its_input(w):
    staff = u(w, "staff")
    base = dict(title="t", body="b", session_id=w.session_id, lead_deputy_id=u(w, "lead").id, now=T0)
    refused(w, "text_needed", P.file, w.engine, staff, **base | {"title": "  "})
    refused(w, "text_too_long", P.file, w.engine, staff, **base | {"title": "长" * 201})
    refused(w, "bad_topic", P.file, w.engine, staff, **base | {"topic": "roads"})
    refused(w, "bad_session", P.file, w.engine, staff, **base | {"session_id": 999})
    refused(w, "bad_deputy", P.file, w.engine, staff, **base | {"lead_deputy_id": u(w, "staff").id})
    refused(w, "bad_deputy", P.file, w.engine, staff, **base | {"lead_deputy_id": None})
    refused(w, "bad_village", P.file, w.engine, staff, **base | {"village_ids": [99999]})
    refused(w, "bad_km", P.file, w.engine, staff, **base | {"km_from": 5.0, "km_to": 2.0})
    first = P.file(w.engine, staff, **base)
    assert state_of(w, first).number == "16-1-001"
    refused(w, "number_taken", P.file, w.engine, staff, **base | {"number": "16-1-001"})
    denied(w, P.file, w.engine, u(w, "lead_handler"), **base)
    denied(w, P.file, w.engine, None, **base)
    # a deputy files their own, never for someone else
    denied(w, P.file, w.engine, u(w, "other_deputy"), **base)
    own = P.file(w.engine, u(w, "other_deputy"), **base | {"lead_deputy_id": None})
    assert state_of(w, own).lead_deputy_name == "李代表"


# ---------------------------------------------------------------- results and progress

def test_results_roll_up_by_weight_and_refuse_bad_progress(w):
    pid = to_state(w, "handling")
    assert P.detail(w.engine, u(w, "staff"), pid).row.progress is None
    green = P.add_result(w.engine, u(w, "lead_handler"), pid, "greenway", "沙柳段新建绿道", weight=3, progress=50,
                         status="in_progress", river_km=2.0, now=T0)
    steps = P.add_result(w.engine, u(w, "co_handler"), pid, "steps", "下河平台", weight=1, river_km=4.2, now=T0)
    assert P.detail(w.engine, u(w, "staff"), pid).row.progress == pytest.approx(37.5)
    for bad in (-1, 101, 50.5, "80", None, True):
        refused(w, "bad_progress", P.update_result, w.engine, u(w, "lead_handler"), green, bad, now=T0)
    for bad in (0, -2, float("nan")):
        refused(w, "bad_weight", P.add_result, w.engine, u(w, "staff"), pid, "other", "x", weight=bad, now=T0)
    refused(w, "bad_kind", P.add_result, w.engine, u(w, "staff"), pid, "bridge", "x", now=T0)
    refused(w, "bad_status", P.update_result, w.engine, u(w, "staff"), green, 60, status="halfway", now=T0)
    refused(w, "bad_place", P.add_result, w.engine, u(w, "staff"), pid, "other", "x", river_km=99.0, now=T0)
    refused(w, "bad_date", P.update_result, w.engine, u(w, "staff"), green, 60, happened_on=date(2026, 7, 1),
            now=T0)
    denied(w, P.update_result, w.engine, u(w, "other_handler"), green, 60, now=T0)
    denied(w, P.add_result, w.engine, u(w, "lead"), pid, "other", "x", now=T0)
    P.update_result(w.engine, u(w, "lead_handler"), green, 100, note="绿道贯通", happened_on=date(2026, 7, 20),
                    photos=[jpeg()], now=T0 + timedelta(days=60), photo_dir=w.photo_dir)
    P.update_result(w.engine, u(w, "co_handler"), steps, 40, now=T0 + timedelta(days=61))
    d = P.detail(w.engine, u(w, "lead"), pid)
    assert d.row.progress == pytest.approx((3 * 100 + 1 * 40) / 4)
    g = next(r for r in d.results if r.id == green)
    assert (g.status, g.progress) == ("done", 100)
    assert [(m.happened_on, m.progress) for m in g.updates] == [(date(2026, 6, 1), 50), (date(2026, 7, 20), 100)]
    assert g.river_km == 2.0 and 121.3 < g.lon < 121.5 and 29.1 < g.lat < 29.2
    [(public, thumb)] = g.photos
    assert (w.photo_dir / public).exists() and (w.photo_dir / thumb).exists()
    milestones = [i for i in d.timeline if i.kind == "milestone"]
    assert [i.at for i in milestones] == sorted(i.at for i in milestones)
    assert len(milestones) == 4


def test_the_database_refuses_progress_outside_0_to_100(w):
    pid = to_state(w, "assigned")
    with pytest.raises(IntegrityError):
        with session_scope(w.engine) as s:
            s.add(ProposalResult(proposal_id=pid, kind="other", title="x", progress=101, weight=1))
    with pytest.raises(IntegrityError):
        with session_scope(w.engine) as s:
            s.add(ProposalResult(proposal_id=pid, kind="other", title="x", progress=10, weight=0))
    with session_scope(w.engine) as s:
        assert s.scalar(select(func.count()).select_from(ProposalResult)) == 0


# ---------------------------------------------------------------- attachments

def test_answer_attachments_images_reencoded_pdfs_kept_others_refused(w, tmp_path):
    pid = to_state(w, "handling")
    refused(w, "attachment_too_large", P.answer, w.engine, u(w, "lead_handler"), pid, "A", "见附件",
            [("big.pdf", b"%PDF-1.7\n" + b"0" * P.MAX_PDF_BYTES)], now=T0 + timedelta(days=5), photo_dir=w.photo_dir)
    before = snapshot(w.engine)
    with pytest.raises(photos.PhotoError):
        P.answer(w.engine, u(w, "lead_handler"), pid, "A", "见附件", [("a.exe", b"MZ\x90\x00 not a picture")],
                 now=T0 + timedelta(days=5), photo_dir=w.photo_dir)
    assert snapshot(w.engine) == before
    # a refusal after the files were stored removes them again
    refused(w, "bad_class", P.answer, w.engine, u(w, "lead_handler"), pid, "E", "x", [("p.jpg", jpeg())],
            now=T0 + timedelta(days=5), photo_dir=w.photo_dir)
    folder = P.attachment_dir(w.photo_dir)
    assert (list(folder.glob("*")) if folder.exists() else []) == []
    P.answer(w.engine, u(w, "lead_handler"), pid, "A", "见附件",
             [("现场照片.jpg", jpeg((2000, 1000))), ("批复.pdf", b"%PDF-1.4\n%demo\n")],
             now=T0 + timedelta(days=5), photo_dir=w.photo_dir)
    [a] = P.detail(w.engine, u(w, "lead"), pid).answers
    image, pdf = a.attachments
    assert (image.kind, pdf.kind, pdf.label) == ("image", "pdf", "批复.pdf")
    with Image.open(folder / image.file_name) as im:
        assert max(im.size) == photos.PUBLIC_SIDE and not im.getexif()
    assert (folder / pdf.file_name).read_bytes() == b"%PDF-1.4\n%demo\n"


# ---------------------------------------------------------------- evidence: villagers' reports

def _report(w: World, hidden: bool = False) -> int:
    with session_scope(w.engine) as s:
        r = Report(code=f"R{'H' if hidden else 'V'}{s.scalar(select(func.count()).select_from(Report))}",
                   category="bank_litter", lon=121.40, lat=29.15, location_source="gps", river_km=2.2,
                   reporter_name="王大姐", reporter_phone="13800001234", hidden=hidden)
        r.photos = [Photo(kind="report", sha256=uuid.uuid4().hex * 2, public_name="p.jpg", thumb_name="t.jpg", width=1, height=1),
                    Photo(kind="report", sha256=uuid.uuid4().hex * 2, public_name="x.jpg", thumb_name="y.jpg", width=1, height=1,
                          hidden=True)]
        s.add(r)
        s.flush()
        return r.id


def test_linking_reports_as_evidence(w):
    pid = to_state(w, "published")
    L = T0 + timedelta(days=20)
    rid, hidden = _report(w), _report(w, hidden=True)
    refused(w, "report_not_found", P.link_report, w.engine, u(w, "staff"), pid, 99999, now=L)
    refused(w, "report_not_found", P.link_report, w.engine, u(w, "lead"), pid, hidden, now=L)
    denied(w, P.link_report, w.engine, u(w, "other_deputy"), pid, rid, now=L)
    denied(w, P.link_report, w.engine, u(w, "lead_handler"), pid, rid, now=L)
    denied(w, P.link_report, w.engine, None, pid, rid, now=L)
    assert [r.id for r in P.linkable_reports(w.engine, u(w, "cosigner"), pid)] == [rid]  # on km 1.0–3.5, visible
    denied(w, P.linkable_reports, w.engine, u(w, "other_deputy"), pid)
    P.link_report(w.engine, u(w, "cosigner"), pid, rid, now=L)
    assert P.linkable_reports(w.engine, u(w, "staff"), pid) == []
    refused(w, "already_linked", P.link_report, w.engine, u(w, "staff"), pid, rid, now=L)
    d = P.detail(w.engine, None, pid)
    [linked] = d.reports
    assert (linked.id, linked.category, linked.river_km, linked.photos) == (rid, "bank_litter", 2.2,
                                                                          [("p.jpg", "t.jpg")])
    assert "13800001234" not in repr(d) and "王大姐" not in repr(d)
    # the tracking code is the reporter's key: staff only, and never in the public history
    with session_scope(w.engine) as s:
        code = s.get(Report, rid).code
    assert linked.code is None and code not in repr(d)
    assert [r.code for r in P.detail(w.engine, u(w, "lead"), pid).reports] == [None]
    assert [r.code for r in P.detail(w.engine, u(w, "staff"), pid).reports] == [code]
    assert [r.id for r in P.proposals_for_report(w.engine, rid)] == [pid]

    unpublished = to_state(w, "handling")
    P.link_report(w.engine, u(w, "staff"), unpublished, rid, now=L)
    assert [r.id for r in P.proposals_for_report(w.engine, rid)] == [pid]               # the public
    assert {r.id for r in P.proposals_for_report(w.engine, rid, u(w, "staff"))} == {pid, unpublished}
    assert {r.id for r in P.proposals_for_report(w.engine, rid, u(w, "lead"))} == {pid, unpublished}
    assert [r.id for r in P.proposals_for_report(w.engine, rid, u(w, "other_deputy"))] == [pid]

    refused(w, "not_linked", P.unlink_report, w.engine, u(w, "staff"), pid, hidden, now=L)
    P.unlink_report(w.engine, u(w, "lead"), pid, rid, "照片不是这一段", now=L + timedelta(hours=1))
    assert P.detail(w.engine, None, pid).reports == []
    assert P.proposals_for_report(w.engine, rid) == []
    with session_scope(w.engine) as s:
        [link] = s.scalars(select(ProposalReportLink).where(ProposalReportLink.proposal_id == pid)).all()
        assert link.unlinked_at == L + timedelta(hours=1) and link.unlinked_by_id == u(w, "lead").id
    history = P.detail(w.engine, u(w, "staff"), pid).history
    assert [e.action for e in history][-2:] == ["link", "unlink"]
    P.link_report(w.engine, u(w, "staff"), pid, rid, now=L + timedelta(hours=2))  # linked again: a new row
    with session_scope(w.engine) as s:
        assert s.scalar(select(func.count()).select_from(ProposalReportLink)
                        .where(ProposalReportLink.proposal_id == pid)) == 2


# ---------------------------------------------------------------- the timeline, the audit

def test_the_timeline_merges_everything_in_time_order(w):
    pid = to_state(w, "answered")
    rid = P.add_result(w.engine, u(w, "staff"), pid, "landscaping", "沿溪景观绿化", now=T0 + timedelta(days=11))
    P.update_result(w.engine, u(w, "staff"), rid, 30, now=T0 + timedelta(days=12))
    items = P.timeline(w.engine, u(w, "lead"), pid)
    assert [(i.kind, i.action) for i in items] == [
        ("history", "file"), ("history", "assign"), ("history", "sign"), ("contact", "phone"),
        ("history", "handle"), ("history", "answer"), ("answer", "B"), ("milestone", "planned"),
        ("milestone", "in_progress")]
    assert [i.at for i in items] == sorted(i.at for i in items)


def test_every_change_leaves_one_audit_entry_and_a_history_row(w):
    pid = to_state(w, "handling")
    n = len(audits(w))
    P.request_extension(w.engine, u(w, "lead_handler"), pid, 1, "天气", now=T0 + timedelta(days=3))
    P.log_contact(w.engine, u(w, "lead_handler"), pid, date(2026, 6, 4), "letter", "发函", now=T0 + timedelta(days=3))
    assert len(audits(w)) == n + 2
    assert audits(w)[-1].action == "proposal.contact"


def test_a_deputy_home_lists_their_proposals(w):
    lead = to_state(w, "answered")
    co = to_state(w, "assigned", lead_deputy_id=u(w, "other_deputy").id, cosigners=[u(w, "lead").id])
    new_proposal(w, lead_deputy_id=u(w, "other_deputy").id, cosigners=[])
    mine = P.my_proposals(w.engine, u(w, "lead"), now=T0 + timedelta(days=11))
    assert {(r.id, r.my_role) for r in mine.rows} == {(lead, "lead"), (co, "co")}
    assert [(a.kind, a.proposal_id) for a in mine.alerts] == [("awaiting_evaluation", lead)]
    row = next(r for r in mine.rows if r.id == lead)
    assert (row.holder_kind, row.holder) == ("deputy", "周代表")
    with pytest.raises(Denied):
        P.my_proposals(w.engine, u(w, "staff"))


def test_demo_proposals_load_on_a_fresh_database(engine, tmp_path):
    from qingxi.ops import demo, demo_proposals
    with session_scope(engine) as s:
        places.install_reference(s)
        demo.load_demo(s, tmp_path / "photos", count=30)
        demo.load_demo_users(s, tmp_path / "demo-passwords.txt")
    added = demo_proposals.load(engine, tmp_path / "photos")
    assert added == 8
    with session_scope(engine) as s:
        rows = s.scalars(select(Proposal).order_by(Proposal.number)).all()
        titles = [p.title for p in rows]
        assert "关于深化清溪两岸综合整治的建议" in titles and "关于要求启动清溪休闲旅游区建设的建议" in titles
        assert sum("【演示数据 DEMO】" in t for t in titles) == 6
        assert {p.congress_session.meeting for p in rows} == {1, 2, 3, 4, 5}
        states = {p.state for p in rows}
        deputy = s.scalar(select(User).where(User.username == "demo-deputy"))
        assert sum(p.lead_deputy_id == deputy.id for p in rows) >= 3
    assert {"handling", "answered", "published", "withdrawn"} <= states
    mine = P.my_proposals(engine, deputy)
    assert {a.kind for a in mine.alerts} == {"overdue", "awaiting_evaluation"}
    published = P.register(engine, None)
    assert {r.answer_class for r in published} >= {"A", "B", "C"}
    assert any(r.progress for r in published)
    d = P.detail(engine, None, published[0].id)
    assert all(r.lon and r.lat for r in d.results)
    assert any(P.detail(engine, None, r.id).reports for r in published)
    assert demo_proposals.load(engine, tmp_path / "photos") == 0  # once only


# ---------------------------------------------------------------- every write × every role

def _with_result(w: World) -> int:
    pid = to_state(w, "handling")
    return P.add_result(w.engine, u(w, "staff"), pid, "greenway", "绿道", now=T0 + timedelta(days=2))


def _with_request(w: World) -> int:
    pid = to_state(w, "handling")
    P.request_extension(w.engine, u(w, "staff"), pid, 1, "汛期", now=T0 + timedelta(days=2))
    return pid


def _with_link(w: World) -> tuple[int, int]:
    pid, rid = to_state(w, "published"), _report(w)
    P.link_report(w.engine, u(w, "staff"), pid, rid, now=T0 + timedelta(days=14))
    return pid, rid


LATER = T0 + timedelta(days=15)
UNITS = {"lead_handler", "staff", "admin"}
WRITES = {
    "file": ({"lead", "staff", "admin"}, lambda w: None,
             lambda w, who, _: P.file(w.engine, who, title="t", body="b", session_id=w.session_id,
                                      lead_deputy_id=u(w, "lead").id, now=T0)),
    "assign": ({"staff", "admin"}, lambda w: new_proposal(w),
               lambda w, who, pid: P.assign(w.engine, who, pid, w.u_lead, now=T0)),
    "sign": (UNITS, lambda w: to_state(w, "assigned"), lambda w, who, pid: P.sign(w.engine, who, pid, now=T0)),
    "return": (UNITS, lambda w: to_state(w, "assigned"),
               lambda w, who, pid: P.return_assignment(w.engine, who, pid, "不是我们", now=T0)),
    "contact": (UNITS | {"co_handler"}, lambda w: to_state(w, "signed"),
                lambda w, who, pid: P.log_contact(w.engine, who, pid, date(2026, 6, 2), "phone", "电话",
                                                  now=T0 + timedelta(days=2))),
    "answer": (UNITS, lambda w: to_state(w, "handling"),
               lambda w, who, pid: P.answer(w.engine, who, pid, "A", "已解决", now=LATER)),
    "follow_up": (UNITS, lambda w: to_state(w, "evaluated"),
                  lambda w, who, pid: P.follow_up(w.engine, who, pid, "A", "已建成", now=LATER)),
    "evaluate": ({"lead"}, lambda w: to_state(w, "answered"),
                 lambda w, who, pid: P.evaluate(w.engine, who, pid, "satisfied", now=LATER)),
    "publish": ({"staff", "admin"}, lambda w: to_state(w, "evaluated"),
                lambda w, who, pid: P.publish(w.engine, who, pid, now=LATER)),
    "withdraw": ({"lead"}, lambda w: to_state(w, "signed"),
                 lambda w, who, pid: P.withdraw(w.engine, who, pid, "不需要了", now=LATER)),
    "request_extension": (UNITS, lambda w: to_state(w, "handling"),
                          lambda w, who, pid: P.request_extension(w.engine, who, pid, 2, "汛期", now=LATER)),
    "decide_extension": ({"staff", "admin"}, _with_request,
                         lambda w, who, pid: P.decide_extension(w.engine, who, pid, True, now=LATER)),
    "add_result": (UNITS | {"co_handler"}, lambda w: to_state(w, "handling"),
                   lambda w, who, pid: P.add_result(w.engine, who, pid, "steps", "踏步", now=LATER)),
    "update_result": (UNITS | {"co_handler"}, _with_result,
                      lambda w, who, rid: P.update_result(w.engine, who, rid, 50, now=LATER)),
    "link": ({"lead", "cosigner", "staff", "admin"}, lambda w: (to_state(w, "published"), _report(w)),
             lambda w, who, ids: P.link_report(w.engine, who, *ids, now=LATER)),
    "unlink": ({"lead", "cosigner", "staff", "admin"}, _with_link,
               lambda w, who, ids: P.unlink_report(w.engine, who, *ids, now=LATER)),
}


@pytest.mark.parametrize("name", list(WRITES))
def test_every_write_for_every_role(w, name):
    """Allowed: exactly one audit entry. Refused (Denied, or not_found for a proposal one may not
    read): the whole database unchanged."""
    allowed, prepare, call = WRITES[name]
    outcome = {}
    for role in ROLES:
        argument = prepare(w)
        before, entries = snapshot(w.engine), len(audits(w))
        try:
            call(w, u(w, role), argument)
        except (Denied, ProposalError) as err:
            assert isinstance(err, Denied) or err.key == "not_found", (name, role, err)
            assert snapshot(w.engine) == before, f"{name} refused for {role} but changed something"
            outcome[role] = "refused"
        else:
            assert len(audits(w)) == entries + 1, f"{name} by {role}: exactly one audit entry"
            outcome[role] = "allowed"
    assert outcome == {r: "allowed" if r in allowed else "refused" for r in ROLES}
