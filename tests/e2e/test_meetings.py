"""Staff run a face-to-face day in Chromium against `streamlit run`, from scheduling to the public
minutes: schedule and publish it on the desk, a villager registers on a phone with an opinion, staff
record one raised on the day, answer the first and turn it into a report, attach the second to a
deputy's proposal picked by its title, and once the day has begun the minutes show the answers
without the villager's name or phone."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from db.engine import engine_for, session_scope
from db.models import CongressSession, Meeting, MeetingOpinion, Proposal, Report
from qingxi import accounts
from qingxi import meetings as mt
from qingxi.core import clock
from tests.support.browser import choose, dismiss_first_start_notice, rerun_by, sign_in, wait_idle

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 1000}
PASSWORD = "qingxi-river-2026"


def _setup(engine) -> tuple[object, int]:
    with session_scope(engine) as s:
        staff = accounts.create_user(s, "e2e-staff", "梅站长", "staff", PASSWORD)
        cs = CongressSession(name_zh="三门县第十六届人民代表大会第一次会议", name_en="m", congress=16, meeting=1,
                             held_on=date(2017, 1, 10))
        s.add(cs)
        s.flush()
        s.add(Proposal(number="16-1-002", session_id=cs.id, title="关于修缮村道的建议", body="b", topic="other",
                       lead_deputy_name="周代表", state="submitted", filed_on=date(2026, 6, 2)))
        proposal = Proposal(number="16-1-001", session_id=cs.id, title="关于整治清溪两岸的建议", body="b",
                            topic="other", lead_deputy_name="周代表", state="submitted", filed_on=date(2026, 6, 1))
        s.add(proposal)
        s.flush()
        return staff, proposal.id


def _done(page, words: str) -> None:
    page.get_by_text(words).first.wait_for(timeout=30_000)
    assert page.get_by_test_id("stException").count() == 0


def test_staff_run_a_face_to_face_day_from_registration_to_public_minutes(chromium, fresh_server):
    engine = engine_for(fresh_server.env["DATABASE_URL"])
    staff, proposal_id = _setup(engine)
    desk = chromium.new_page(locale="zh-CN", viewport=DESK)
    sign_in(desk, fresh_server.url, "e2e-staff", PASSWORD)

    # staff schedule the day and publish it
    desk.goto(f"{fresh_server.url}/meetings-desk?lang=zh")
    wait_idle(desk)
    desk.get_by_text("安排接待日").click()
    form = desk.get_by_test_id("stForm").filter(has_text="保存（草稿）")
    form.get_by_label("主题").fill("清溪两岸垃圾怎么管")
    form.get_by_label("邀请单位和职务（每行一个）").fill("三门县水利局 — 局长")
    rerun_by(desk, form.get_by_role("button", name="保存（草稿）").click)
    _done(desk, "已保存，发布后群众才能报名。")
    [mid] = [d.id for d in mt.days(engine, staff)]
    rerun_by(desk, desk.locator(".st-key-md_publish button").click)
    _done(desk, "已发布。")

    # a villager registers on a phone with an opinion in advance
    phone = chromium.new_page(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto(f"{fresh_server.url}/meetings")
    wait_idle(phone)
    dismiss_first_start_notice(phone)
    phone.get_by_text("清溪两岸垃圾怎么管").first.wait_for(timeout=30_000)
    phone.get_by_text("报名并提意见").click()
    phone.get_by_role("textbox", name="姓名").fill("王秘密")
    phone.get_by_role("textbox", name="手机号码").fill("13812345678")
    phone.get_by_role("textbox", name="你的意见（可不填）").fill("排污口冒黑水")
    phone.get_by_role("button", name="报名").click()
    _done(phone, "报名成功，到时见！")

    # on the day: staff see who registered, record an opinion raised there
    desk.reload()
    wait_idle(desk)
    desk.get_by_text("王秘密").first.wait_for(state="attached", timeout=30_000)  # the registrations (a grid)
    desk.locator(".st-key-mo_text textarea").fill("希望两岸增设垃圾桶")
    rerun_by(desk, desk.get_by_role("button", name="记录意见").click)
    _done(desk, "意见已记录。")
    [first, second] = [x.opinion_id for x in mt.staff_lines(engine, staff, mid)]

    # the first: answered, then turned into a report in the triage loop
    desk.locator(f".st-key-mt{first} textarea").fill("两周内查清排污口")
    desk.locator(f".st-key-mo{first} input").fill("副局长")
    rerun_by(desk, desk.get_by_test_id("stForm").filter(has=desk.locator(f".st-key-mt{first}"))
                  .get_by_role("button", name="保存答复").click)
    _done(desk, "答复已保存。")
    choose(desk, desk.locator(f".st-key-mc{first}"), "排污口排水")
    rerun_by(desk, desk.locator(f".st-key-mrep{first} button").click)
    _done(desk, "已转为举报")
    with session_scope(engine) as s:
        made = s.get(MeetingOpinion, first).made_report_id
        report = s.get(Report, made)
        assert (report.description, report.category, report.state) == ("排污口冒黑水", "sewage", "submitted")
        code = report.code

    # the second: attached to a deputy's proposal found by words of its title
    desk.locator(f".st-key-mps{second} input").fill("清溪")
    rerun_by(desk, lambda: desk.locator(f".st-key-mps{second} input").press("Enter"))
    choose(desk, desk.locator(f".st-key-mp{second}"), "16-1-001 · 关于整治清溪两岸的建议")
    rerun_by(desk, desk.locator(f".st-key-mattach{second} button").click)
    _done(desk, "已附到建议。")
    with session_scope(engine) as s:
        assert s.get(MeetingOpinion, second).proposal_id == proposal_id

    # after the day has begun, anyone reads the minutes: answers and what came of each, no name
    with session_scope(engine) as s:
        s.execute(select(Meeting).where(Meeting.id == mid)).scalar_one().starts_at = clock.now() - timedelta(hours=2)
    phone.goto(f"{fresh_server.url}/meetings?id={mid}")
    wait_idle(phone)
    _done(phone, "接待日纪要")
    _done(phone, "两周内查清排污口")
    _done(phone, "已转为问题举报，进入处理流程。")
    phone.get_by_role("link", name="已作为代表建议的依据").wait_for()
    assert "王秘密" not in phone.content() and "13812345678" not in phone.content()
    assert code not in phone.content()
    desk.close()
    phone.close()
