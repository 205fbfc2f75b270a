"""Face-to-face days on SQLite and PostgreSQL: schedule, publish, register (full / past /
unpublished refused), opinions with a photo and a verified report code, responses and commitments
(a due date in the past refused), an opinion turned into a report and another attached to a
proposal, the public minutes without names or phones, overdue commitments."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from db.engine import session_scope
from db.models import (
    CongressSession,
    MeetingOpinion,
    MeetingOpinionPhoto,
    MeetingRegistration,
    MeetingResponse,
    Proposal,
    Report,
)
from qingxi import meetings as mt
from qingxi.core import limits
from qingxi.core.permissions import Denied
from qingxi.meetings import MeetingError
from qingxi.reports import intake
from tests.support.people import VILLAGE
from tests.support.photo_samples import jpeg

T0 = datetime(2026, 6, 1, 1, 0, tzinfo=timezone.utc)  # 09:00 in Shaliu
DAY = T0 + timedelta(days=7)
INVITED = "三门县水利局 — 局长\n沙柳街道办事处 — 副主任"


def refused(key: str, fn, *a, **kw):
    with pytest.raises(MeetingError) as err:
        fn(*a, **kw)
    assert err.value.key == key


def count(engine, model) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def day(people, capacity: int = 2, publish: bool = True) -> int:
    mid = mt.schedule(people.engine, people.staff, DAY, "沙柳人大代表联络站", "清溪两岸垃圾怎么管", INVITED, capacity,
                      now=T0)
    if publish:
        mt.publish(people.engine, people.staff, mid, now=T0)
    return mid


def a_report(engine) -> str:
    with session_scope(engine) as s:
        where = intake.village_place(s, VILLAGE)
    return intake.submit(engine, intake.Submission([jpeg()], "bank_litter", where, name="王", phone="13900000000")).code


def test_registration_refuses_full_past_and_unpublished(people):
    draft = day(people, publish=False)
    refused("unpublished", mt.register, people.engine, draft, "王大妈", "13800000001", now=T0)
    mid = day(people, capacity=2)
    mt.register(people.engine, mid, "王大妈", "13800000001", now=T0)
    refused("already_registered", mt.register, people.engine, mid, "王", "138 0000 0001", now=T0)
    mt.register(people.engine, mid, "李伯", "13800000002", VILLAGE, now=T0)
    refused("full", mt.register, people.engine, mid, "张", "13800000003", now=T0)
    other = day(people, capacity=10)
    refused("past", mt.register, people.engine, other, "张", "13800000003", now=DAY + timedelta(minutes=1))
    refused("not_found", mt.register, people.engine, 9999, "张", "13800000003", now=T0)
    refused("bad_phone", mt.register, people.engine, other, "张", "123", now=T0)
    refused("name_needed", mt.register, people.engine, other, " ", "13800000003", now=T0)
    assert count(people.engine, MeetingRegistration) == 2
    assert {d.id: d.seats_left for d in mt.days(people.engine)} == {mid: 0, other: 10}  # drafts are staff only
    assert draft in {d.id for d in mt.days(people.engine, people.staff)}


def test_scheduling_is_staff_work_and_checked(people):
    with pytest.raises(Denied):
        mt.schedule(people.engine, people.deputy, DAY, "站", "题", INVITED, 5, now=T0)
    refused("past", mt.schedule, people.engine, people.staff, T0 - timedelta(hours=1), "站", "题", INVITED, 5, now=T0)
    refused("bad_capacity", mt.schedule, people.engine, people.staff, DAY, "站", "题", INVITED, 0, now=T0)
    refused("invited_needed", mt.schedule, people.engine, people.staff, DAY, "站", "题", "", 5, now=T0)
    mid = day(people)
    refused("not_draft", mt.publish, people.engine, people.staff, mid, now=T0)


def test_opinion_in_advance_with_photo_and_verified_code(people):
    mid = day(people, capacity=5)
    code = a_report(people.engine)
    refused("unknown_code", mt.register, people.engine, mid, "王", "13800000001", opinion="河边垃圾多",
            report_code="ZZZZZZ", now=T0)
    assert count(people.engine, MeetingRegistration) == 0 and count(people.engine, MeetingOpinion) == 0
    mt.register(people.engine, mid, "王", "13800000001", VILLAGE, opinion="河边垃圾多", photo=jpeg(),
                report_code=code.lower(), now=T0)
    [line] = mt.staff_lines(people.engine, people.staff, mid, now=T0)
    assert line.has_report and len(line.photos) == 1 and line.source == "advance"
    assert code not in repr(line)
    assert count(people.engine, MeetingOpinionPhoto) == 1
    # a photo that is not a photo stores nothing
    with pytest.raises(Exception):
        mt.register(people.engine, mid, "李", "13800000002", opinion="x", photo=b"not a photo", now=T0)
    assert count(people.engine, MeetingRegistration) == 1


def test_registering_is_rate_limited(people):
    mid = day(people, capacity=50)
    who = limits.Person(address="10.9.8.7")
    for i in range(20):
        mt.register(people.engine, mid, "王", f"138000001{i:02d}", who=who, now=T0)
    with pytest.raises(limits.LimitError):
        mt.register(people.engine, mid, "王", "13800000199", who=who, now=T0)


def test_trying_report_codes_through_registration_is_limited(people):
    mid = day(people, capacity=50)
    who = limits.Person(address="10.9.8.6", session="browser-1")
    for i in range(10):
        refused("unknown_code", mt.register, people.engine, mid, "王", f"138000002{i:02d}", opinion="x",
                report_code="ZZZZZZ", who=who, now=T0)
    with pytest.raises(limits.LimitError):
        mt.register(people.engine, mid, "王", "13800000299", opinion="x", report_code="ZZZZZY", who=who, now=T0)
    assert count(people.engine, MeetingRegistration) == 0


def test_responses_commitments_and_minutes(people):
    mid = day(people, capacity=5)
    mt.register(people.engine, mid, "王秘密", "13812345678", VILLAGE, opinion="上游有人倒建筑垃圾", now=T0)
    on_day = mt.record_opinion(people.engine, people.staff, mid, "希望增设垃圾桶", VILLAGE, now=DAY)
    first = mt.staff_lines(people.engine, people.staff, mid, now=DAY)[0].opinion_id
    refused("due_in_past", mt.respond, people.engine, people.staff, first, "commitment", "两周内清运", "局长",
            people.unit, date(2026, 6, 7), now=DAY)
    refused("unit_needed", mt.respond, people.engine, people.staff, first, "commitment", "清运", "局长", None,
            date(2026, 6, 20), now=DAY)
    refused("due_needed", mt.respond, people.engine, people.staff, first, "commitment", "清运", "局长", people.unit,
            None, now=DAY)
    assert count(people.engine, MeetingResponse) == 0
    mt.respond(people.engine, people.staff, first, "commitment", "两周内清运", "局长", people.unit, date(2026, 6, 20),
               now=DAY)
    mt.respond(people.engine, people.staff, on_day, "answer", "年内增设 10 个", "副主任", now=DAY)
    refused("already_answered", mt.respond, people.engine, people.staff, on_day, "answer", "再答", now=DAY)
    with pytest.raises(Denied):
        mt.respond(people.engine, people.deputy, on_day, "answer", "x", now=DAY)
    refused("not_yet", mt.minutes, people.engine, mid, now=T0)
    minutes = mt.minutes(people.engine, mid, now=DAY + timedelta(days=1))
    assert [(x.kind, x.status) for x in minutes.lines] == [("commitment", "due"), ("answer", None)]
    assert "王秘密" not in repr(minutes) and "13812345678" not in repr(minutes)
    assert minutes.lines[0].unit == "沙柳村村委会"
    later = DAY + timedelta(days=20)
    assert [x.status for x in mt.minutes(people.engine, mid, now=later).lines][0] == "late"
    [late] = mt.overdue(people.engine, people.deputy, now=later)
    assert (late.unit, late.due_on, late.meeting_id) == ("沙柳村村委会", date(2026, 6, 20), mid)
    with pytest.raises(Denied):
        mt.overdue(people.engine, None, now=later)
    mt.commitment_done(people.engine, people.staff, first, now=later)
    assert mt.overdue(people.engine, people.staff, now=later) == []
    assert mt.minutes(people.engine, mid, now=later).lines[0].status == "done"


def test_opinion_becomes_a_report_and_evidence_for_a_proposal(people):
    mid = day(people, capacity=5)
    mt.register(people.engine, mid, "王", "13800000001", opinion="排污口冒黑水", photo=jpeg(), now=T0)
    first = mt.staff_lines(people.engine, people.staff, mid, now=T0)[0].opinion_id
    second = mt.record_opinion(people.engine, people.staff, mid, "建议整治两岸", now=DAY)
    refused("bad_category", mt.to_report, people.engine, people.staff, first, "nonsense", VILLAGE, now=DAY)
    code = mt.to_report(people.engine, people.staff, first, "sewage", VILLAGE, now=DAY)
    refused("already_reported", mt.to_report, people.engine, people.staff, first, "sewage", VILLAGE, now=DAY)
    with session_scope(people.engine) as s:
        report = s.scalars(select(Report).where(Report.code == code)).one()
        assert (report.state, report.category, report.visibility) == ("submitted", "sewage", "staff")
        assert report.description == "排污口冒黑水" and len(report.photos) == 1
        cs = CongressSession(name_zh="会", name_en="m", congress=16, meeting=1, held_on=date(2017, 1, 10))
        s.add(cs)
        s.flush()
        proposal = Proposal(number="16-1-001", session_id=cs.id, title="关于整治清溪两岸的建议", body="b",
                            topic="other", lead_deputy_name="周代表", state="submitted", filed_on=date(2026, 6, 1))
        s.add(proposal)
        s.flush()
    refused("no_proposal", mt.attach_to_proposal, people.engine, people.staff, second, 9999, now=DAY)
    mt.attach_to_proposal(people.engine, people.staff, second, proposal.id, now=DAY)
    assert mt.proposal_opinions(people.engine, proposal.id) == ["建议整治两岸"]
    from qingxi import proposals
    from qingxi.proposals import dossier

    html = dossier.build(proposals.detail(people.engine, people.staff, proposal.id), "zh",
                         opinions=mt.proposal_opinions(people.engine, proposal.id))
    assert "接待日上群众的意见" in html and "建议整治两岸" in html
    lines = {x.opinion_id: x for x in mt.minutes(people.engine, mid, now=DAY + timedelta(hours=3)).lines}
    assert lines[first].made_report and lines[second].proposal_id == proposal.id


def test_a_deputy_sees_the_opinions_of_their_villages(people):
    from db.models import ProposalVillage

    mid = day(people, capacity=5)
    mt.register(people.engine, mid, "王", "13800000001", VILLAGE, opinion="沙柳村段垃圾多", now=T0)
    mt.register(people.engine, mid, "李", "13800000002", "331022003001", opinion="清溪社区的事", now=T0)
    with session_scope(people.engine) as s:
        cs = CongressSession(name_zh="会", name_en="m", congress=16, meeting=1, held_on=date(2017, 1, 10))
        s.add(cs)
        s.flush()
        proposal = Proposal(number="16-1-001", session_id=cs.id, title="t", body="b", topic="other",
                            lead_deputy_id=people.deputy.id, lead_deputy_name="周代表", state="submitted",
                            filed_on=date(2026, 6, 1))
        s.add(proposal)
        s.flush()
        s.add(ProposalVillage(proposal_id=proposal.id, village_id=people.village))
    villages, said = mt.deputy_home(people.engine, people.deputy)
    assert villages == [(VILLAGE, "沙柳村")]
    assert [(o.village, o.text, o.kind) for o in said] == [("沙柳村", "沙柳村段垃圾多", None)]
    assert mt.deputy_home(people.engine, people.other_deputy) == ([], [])
    with pytest.raises(Denied):
        mt.deputy_home(people.engine, None)


def test_the_proposal_picker_offers_a_few_found_by_number_or_title(people):
    with session_scope(people.engine) as s:
        cs = CongressSession(name_zh="会", name_en="m", congress=16, meeting=1, held_on=date(2017, 1, 10))
        s.add(cs)
        s.flush()
        for n in range(30):
            s.add(Proposal(number=f"16-1-{n:03d}", session_id=cs.id, title=f"关于第{n}段清溪的建议" if n else "100%_治理",
                           body="b", topic="other", lead_deputy_name="周代表", state="submitted",
                           filed_on=date(2026, 1, 1) + timedelta(days=n)))
    first = mt.proposal_choices(people.engine, people.staff)
    assert len(first) == 20 and first[0].number == "16-1-029"  # a few, newest first: never the register
    assert [p.number for p in mt.proposal_choices(people.engine, people.staff, "16-1-01")] == [
        f"16-1-{n:03d}" for n in range(19, 9, -1)]
    assert [p.title for p in mt.proposal_choices(people.engine, people.staff, " 第7段 ")] == ["关于第7段清溪的建议"]
    assert [p.title for p in mt.proposal_choices(people.engine, people.staff, "%_")] == ["100%_治理"]  # literally
    old = next(p for p in mt.proposal_choices(people.engine, people.staff, "100%"))
    kept = mt.proposal_choices(people.engine, people.staff, "第2段", keep=old.id)
    assert [p.number for p in kept] == ["16-1-000", "16-1-002"]  # the attached one stays offered
    with pytest.raises(Denied):
        mt.proposal_choices(people.engine, people.deputy)
