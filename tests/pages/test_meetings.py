"""Face-to-face day screens under AppTest: staff schedule and publish a day, a villager registers
with an opinion (an unknown report code refused), staff record an opinion raised on the day, answer
one (a due date in the past refused), turn one into a report, and the public minutes show the
responses without the villager's name or phone."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from db import accounts_queries
from db.engine import engine_for, session_scope
from db.models import MeetingRegistration, Report
from qingxi import meetings as mt
from qingxi.core import clock
from qingxi.core.settings import current
from tests.support.photo_samples import jpeg


def _page(name: str) -> None:
    from pages import meetings as pages_meetings

    {"public": pages_meetings.render, "desk": pages_meetings.desk}[name]()


def page(name: str, **params) -> AppTest:
    at = AppTest.from_function(_page, args=(name,), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = str(value)
    return at.run()


def db():
    return engine_for(current().database_url)


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "text", "info", "success", "warning",
                                  "error", "code") for e in getattr(at, kind)]
    parts += [str(d.value) for d in at.dataframe]
    return "\n".join(parts)


def registrations() -> int:
    with session_scope(db()) as s:
        return s.scalar(select(func.count()).select_from(MeetingRegistration))


@pytest.fixture
def staff(sign_in_as):
    return sign_in_as("staff")


def test_staff_schedule_and_publish_a_day(staff):
    at = page("desk")
    at.date_input(key="ms_date").set_value(date.today() + timedelta(days=10))
    at.text_input(key="ms_topic").input("清溪两岸垃圾怎么管")
    at.text_area(key="ms_invited").input("三门县水利局 — 局长")
    at.number_input(key="ms_capacity").set_value(1)
    at = at.button(key="FormSubmitter:meeting_schedule-保存（草稿）").click().run()
    assert "已保存，发布后群众才能报名。" in texts(at)
    assert page("public").info[0].value == "近期没有安排接待日。"  # a draft is not public
    at = at.button(key="md_publish").click().run()
    assert "已发布。" in texts(at)
    public = page("public")
    assert "清溪两岸垃圾怎么管" in texts(public) and "剩余名额 1 / 1" in texts(public)


def a_day(staff, capacity: int = 5) -> int:
    mid = mt.schedule(db(), staff, clock.now() + timedelta(days=3), "联络站", "清溪两岸垃圾怎么管",
                      "三门县水利局 — 局长", capacity)
    mt.publish(db(), staff, mid)
    return mid


def register_on_page(mid: int, name: str, phone: str, opinion: str = "", code: str = "") -> AppTest:
    at = page("public")
    at.text_input(key=f"mr_name{mid}").input(name)
    at.text_input(key=f"mr_phone{mid}").input(phone)
    at.text_area(key=f"mr_opinion{mid}").input(opinion)
    at.text_input(key=f"mr_code{mid}").input(code)
    return at.button(key=f"FormSubmitter:meeting_form{mid}-报名").click().run()


def test_a_villager_registers_with_an_opinion(staff):
    mid = a_day(staff)
    at = register_on_page(mid, "王大妈", "13800000001", "上游有人倒垃圾", code="ZZZZZZ")
    assert [e.value for e in at.error] == ["没有这个举报编号，请核对。"]
    assert registrations() == 0
    at = register_on_page(mid, "王大妈", "13800000001", "上游有人倒垃圾")
    assert "报名成功，到时见！" in texts(at)
    assert registrations() == 1
    desk = page("desk")
    assert "王大妈" in texts(desk) and "上游有人倒垃圾" in texts(desk)  # staff see who registered


def test_staff_run_the_day_to_public_minutes(staff):
    with session_scope(db()) as s:
        unit = accounts_queries.add_unit(s, "三门县水利局").id
    mid = a_day(staff)
    mt.register(db(), mid, "王秘密", "13812345678", opinion="排污口冒黑水", photo=jpeg())
    at = page("desk")
    at.text_area(key="mo_text").input("希望增设垃圾桶")
    at = at.button(key="FormSubmitter:meeting_on_day-记录意见").click().run()
    assert "意见已记录。" in texts(at)
    [first, second] = [x.opinion_id for x in mt.staff_lines(db(), staff, mid)]
    # a commitment due yesterday is refused
    at.radio(key=f"mk{first}").set_value("commitment")
    at.text_area(key=f"mt{first}").input("两周内查清排污口")
    at.selectbox(key=f"mu{first}").set_value(unit)
    at.date_input(key=f"mdue{first}").set_value(date.today() - timedelta(days=1))
    at = at.button(key=f"FormSubmitter:respond{first}-保存答复").click().run()
    assert "完成日期不能早于今天。" in texts(at)
    at = page("desk")
    at.text_area(key=f"mt{second}").input("年内增设 10 个垃圾桶")
    at.text_input(key=f"mo{second}").input("副主任")
    at = at.button(key=f"FormSubmitter:respond{second}-保存答复").click().run()
    assert "答复已保存。" in texts(at)
    at.selectbox(key=f"mc{first}").set_value("sewage")
    at = at.button(key=f"mrep{first}").click().run()
    with session_scope(db()) as s:
        made = s.scalars(select(Report).where(Report.category == "sewage")).one()
        assert made.description == "排污口冒黑水"
    assert f"已转为举报 {made.code}。" in texts(at)
    minutes = page("public", id=mid)
    assert minutes.error[0].value == "接待日之后才公布纪要。"
    with session_scope(db()) as s:
        from db.models import Meeting

        s.get(Meeting, mid).starts_at = clock.now() - timedelta(hours=1)
    minutes = page("public", id=mid)
    shown = texts(minutes)
    assert "年内增设 10 个垃圾桶" in shown and "已转为问题举报，进入处理流程。" in shown
    assert "王秘密" not in shown and "13812345678" not in shown
    assert len(minutes.image) == 1  # the opinion's photo, a copy without metadata


def _proposal_page() -> None:
    from pages import proposal as proposal_page

    proposal_page.render()


def test_staff_attach_an_opinion_to_a_proposal_and_it_shows_there(staff):
    from db.models import CongressSession, Proposal

    with session_scope(db()) as s:
        cs = CongressSession(name_zh="三门县第十六届人民代表大会第一次会议", name_en="m", congress=16, meeting=1,
                             held_on=date(2017, 1, 10))
        s.add(cs)
        s.flush()
        proposal = Proposal(number="16-1-001", session_id=cs.id, title="关于整治清溪两岸的建议", body="b",
                            topic="other", lead_deputy_name="周代表", state="submitted", filed_on=date(2026, 6, 1))
        s.add(proposal)
        s.flush()
        other = Proposal(number="16-1-002", session_id=cs.id, title="关于修缮村道的建议", body="b", topic="other",
                         lead_deputy_name="周代表", state="submitted", filed_on=date(2026, 6, 2))
        s.add(other)
    mid = a_day(staff)
    said = mt.record_opinion(db(), staff, mid, "两岸<b>垃圾</b>要有人管")
    at = page("desk")
    picker = at.selectbox(key=f"mp{said}")
    assert picker.value is None and picker.options == ["16-1-002 · 关于修缮村道的建议", "16-1-001 · 关于整治清溪两岸的建议"]
    at.text_input(key=f"mps{said}").input("清溪").run()  # a search narrows what is offered
    picker = at.selectbox(key=f"mp{said}")
    assert picker.options == ["16-1-001 · 关于整治清溪两岸的建议"]
    picker.set_value(proposal.id).run()
    at = at.button(key=f"mattach{said}").click().run()
    assert "已附到建议。" in texts(at)
    assert at.selectbox(key=f"mp{said}").value == proposal.id  # the desk shows where it is attached
    at.text_input(key=f"mps{said}").input("没有这样的建议").run()
    assert at.selectbox(key=f"mp{said}").options == ["16-1-001 · 关于整治清溪两岸的建议"]  # ... even then
    shown = AppTest.from_function(_proposal_page, default_timeout=60)
    shown.query_params["id"] = str(proposal.id)
    shown = shown.run()
    assert not shown.exception
    assert "接待日上群众的意见" in [h.value for h in shown.subheader]
    assert "两岸<b>垃圾</b>要有人管" in [x.value for x in shown.text]  # as typed, never markup


def _other(name: str) -> None:
    from pages import dashboard, proposals

    {"dashboard": dashboard.render, "my-proposals": proposals.home}[name]()


def other(name: str) -> AppTest:
    return AppTest.from_function(_other, args=(name,), default_timeout=60).run()


def test_a_commitment_past_due_shows_on_the_dashboard(staff, sign_in_as):
    with session_scope(db()) as s:
        unit = accounts_queries.add_unit(s, "三门县水利局").id
    then = clock.now() - timedelta(days=20)
    mid = mt.schedule(db(), staff, then + timedelta(days=1), "联络站", "清溪两岸垃圾怎么管", "三门县水利局 — 局长", 5,
                      now=then)
    said = mt.record_opinion(db(), staff, mid, "排污口冒黑水", now=then)
    mt.respond(db(), staff, said, "commitment", "两周内查清排污口", unit_id=unit, due_on=(then + timedelta(days=14)).date(),
               now=then)
    at = other("dashboard")
    assert not at.exception and "接待日承诺超期" in [h.value for h in at.subheader]
    [table] = [d.value for d in at.dataframe if "责任单位" in d.value.columns]
    assert list(table["责任单位"]) == ["三门县水利局"] and list(table["意见"]) == ["排污口冒黑水"]
    sign_in_as("deputy", "zhou")
    at = other("dashboard")  # deputies see it too
    assert "接待日承诺超期" in [h.value for h in at.subheader] and any("责任单位" in d.value.columns for d in at.dataframe)
    mt.commitment_done(db(), staff, said)
    at = other("dashboard")
    assert "没有超期的承诺。" in [c.value for c in at.caption]


def test_a_deputy_sees_coverage_and_opinions_of_their_villages_at_home(staff, sign_in_as):
    from db.models import CongressSession, Proposal, ProposalVillage, Village
    from qingxi import pledge
    from tests.support.people import VILLAGE

    deputy = sign_in_as("deputy", "zhou")
    pledge.install_demo_text(db())
    pledge.set_households(db(), staff, VILLAGE, 4)
    pledge.sign(db(), VILLAGE, 3, "13800000051")
    with session_scope(db()) as s:
        cs = CongressSession(name_zh="会", name_en="m", congress=16, meeting=1, held_on=date(2017, 1, 10))
        s.add(cs)
        s.flush()
        proposal = Proposal(number="16-1-001", session_id=cs.id, title="关于整治沙柳村段的建议", body="b", topic="other",
                            lead_deputy_id=deputy.id, lead_deputy_name="周代表", state="submitted",
                            filed_on=date(2026, 6, 1))
        s.add(proposal)
        s.flush()
        village = s.scalars(select(Village.id).where(Village.code == VILLAGE)).one()
        s.add(ProposalVillage(proposal_id=proposal.id, village_id=village))
    mid = a_day(staff)
    mt.register(db(), mid, "王大妈", "13800000001", VILLAGE, opinion="沙柳村段垃圾多")
    at = other("my-proposals")
    assert not at.exception
    assert "你的村：沙柳村（签名和接待日意见）" in [h.value for h in at.subheader]
    assert len(at.get("vega_lite_chart")) == 1  # the village's coverage bar (1 of 4 households)
    assert any("沙柳村段垃圾多" in x.value for x in at.text) and "王大妈" not in texts(at)
