"""Nobody has to keep looking (issue 15), in Chromium: a villager on a phone-sized screen files an
urgent (sewage) report and asks to hear back; the worker (`python -m qingxi worker`, as `make run`
starts it) tells the duty group's DingTalk-like robot within seconds — village, river km and a desk
link that opens the report on the desk — and, once staff close it as fixed, texts the villager.
A deputy gives an e-mail address on their account page and gets the "answered, awaiting your
evaluation" message at a local SMTP server, its link opening the proposal. A volunteer waitlisted on
a phone gets the promotion and the day-before reminder on their sign-up phone."""
from __future__ import annotations

import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select

from db import accounts_queries
from db.engine import make_engine, session_scope
from db.models import CongressSession, Report, Village
from qingxi import cleanups as cu
from qingxi import proposals as P
from qingxi.core import clock
from qingxi.proposals.rules import local_day
from qingxi.reports import triage
from tests.support.browser import dismiss_first_start_notice, rerun_by, sign_in, wait_idle
from tests.support.dingtalk import process_env, robots
from tests.support.photo_samples import gps_ifd, jpeg
from tests.support.servers import ROOT, Server
from tests.support.smtp import smtp_server

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
KEY = {"QINGXI_NOTIFY_KEY": "e2e notify key"}
VILLAGER_PHONE = "13912345678"


class Portal:
    """A demo portal for one test, its channels added with the CLI, and a real `python -m qingxi worker`
    (as `make run` starts it) once the test says so; the worker's DingTalk messages reach `robot`."""

    def __init__(self, tmp_path, robot=None):
        self.server = Server(tmp_path, demo=True, **KEY)
        env = {**self.server.env, "QINGXI_PUBLIC_URL": self.server.url}
        self.env = process_env(robot, env) if robot else env
        self.log, self.worker = (tmp_path / "worker.log").open("w"), None

    def channel(self, *args: str) -> None:
        cli(self.env, "channel", "add", *args)

    def start_worker(self) -> None:
        self.worker = subprocess.Popen([sys.executable, "-m", "qingxi", "worker"], cwd=ROOT, env=self.env,
                                       stdout=self.log, stderr=subprocess.STDOUT)


@contextmanager
def portal(tmp_path, robot=None):
    p = Portal(tmp_path, robot)
    try:
        yield p
    finally:
        if p.worker is not None:
            p.worker.terminate()
            p.worker.wait(30)
        p.log.close()
        p.server.stop()


def until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (found := check()):
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.05)
    return found


def cli(env, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "qingxi", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def file_urgent_report(page, base: str, photo) -> str:
    """Sewage, from a GPS-tagged photo, with a name and a phone and "text me when there is news"."""
    page.goto(f"{base}/report")
    wait_idle(page)
    dismiss_first_start_notice(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(photo))
    page.get_by_text("位置来自照片").wait_for(timeout=30_000)
    wait_idle(page)
    rerun_by(page, page.get_by_role("button", name="排污口排水").click)
    page.get_by_text("④ 留下联系方式（可不填）").click()
    page.get_by_label("姓名或称呼").fill("王小明")
    page.get_by_label("手机号").fill(VILLAGER_PHONE)
    rerun_by(page, lambda: page.get_by_label("手机号").press("Enter"))
    page.get_by_text("有进展时发短信告诉我").click()  # the label, as a person taps it
    page.wait_for_function("b => b.checked", arg=page.get_by_role("checkbox", name="有进展时发短信告诉我")
                           .element_handle())
    wait_idle(page)
    page.get_by_role("button", name="提交上报").click()
    page.get_by_text("上报成功").wait_for(timeout=30_000)
    return page.locator(".qx-code").inner_text().strip()


def test_an_urgent_report_alerts_the_duty_group_within_seconds_and_the_villager_hears_it_is_fixed(chromium, tmp_path):
    with robots(2) as (duty, sms), portal(tmp_path, duty) as p:
        server = p.server
        p.channel("沙柳值班群", duty.url(), "--events", "report.new,report.urgent")
        p.channel("短信", sms.url().rstrip("/") + "/{to}/", "--events", "report.update", "--person")
        p.start_worker()
        photo = tmp_path / "sewage.jpg"
        photo.write_bytes(jpeg((1200, 900), gps=gps_ifd(121.398, 29.1492), make="Phone", model="X1"))
        phone = chromium.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
        code = file_urgent_report(phone, server.url, photo)
        filed = time.time()
        assert phone.get_by_test_id("stException").count() == 0

        engine = make_engine(server.env["DATABASE_URL"])
        with session_scope(engine) as s:
            rid, km, hear_back, village = s.execute(
                select(Report.id, Report.river_km, Report.hear_back, Village.name)
                .join(Village, Village.id == Report.village_id).where(Report.code == code)).one()
        assert hear_back
        alert = until(lambda: next((m for m in list(duty.messages) if f"report={rid}" in m.text), None), 30,
                      "the duty group's alert")
        assert alert.at - filed < 10  # within seconds (the worker passes every 2 s); sign-off target 30 s
        assert alert.signed and alert.text.startswith("【清溪卫士】紧急上报")
        link = f"{server.url}/triage?report={rid}"
        assert f"排污口排水｜{village}｜清溪 {km:.2f} 公里" in alert.text  # the village the photo's GPS put it in
        assert alert.text.rstrip().endswith(link)
        assert not any(personal in alert.text for personal in ("王小明", VILLAGER_PHONE, code))

        # The link opens that report on the desk.
        staff = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000}).new_page()
        sign_in(staff, server.url, "demo-staff", server.demo_password("demo-staff"))
        staff.goto(link)
        wait_idle(staff)
        staff.get_by_role("heading", name=f"#{rid} · 排污口排水").wait_for(timeout=30_000)
        staff.locator(f".st-key-action{rid}").wait_for(timeout=30_000)
        staff.get_by_text(VILLAGER_PHONE).first.wait_for()  # staff may call back

        # Staff take it through to fixed; the villager who asked hears so on their phone.
        with session_scope(engine) as s:
            desk = accounts_queries.user_by_name(s, "demo-staff")
            handler = accounts_queries.user_by_name(s, "demo-handler")
        triage.sign(engine, desk, rid)
        triage.dispatch(engine, desk, rid, handler.unit_id)
        triage.resolve(engine, handler, rid, None, "已清理排污口。")
        triage.close_fixed(engine, desk, rid, "排污口已封堵，谢谢您的上报。")
        fixed = until(lambda: next((m for m in list(sms.messages) if "已解决" in m.text), None), 60,
                      "the villager's 'fixed' message")
        assert fixed.signed and fixed.body["at"]["atMobiles"] == [VILLAGER_PHONE]
        assert f"您上报的问题（排污口排水，{village}）有新进展：已解决" in fixed.text
        assert fixed.text.rstrip().endswith(f"{server.url}/track?code={code}")
        assert len([m for m in duty.messages if f"report={rid}" in m.text]) == 1  # the group heard once
        engine.dispose()


def test_a_deputy_gives_an_email_address_and_hears_their_proposal_awaits_evaluation(chromium, tmp_path):
    with smtp_server() as inbox, portal(tmp_path) as p:
        server = p.server
        p.channel("邮件", inbox.mailto_url(), "--events", "proposal.answered", "--person")
        p.start_worker()
        page = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000}).new_page()
        sign_in(page, server.url, "demo-deputy", server.demo_password("demo-deputy"))
        page.goto(f"{server.url}/account?lang=zh")
        wait_idle(page)
        page.get_by_role("heading", name="接收通知").wait_for(timeout=30_000)
        page.get_by_text("还没有填写：不会给您发送通知。").wait_for()
        page.get_by_role("textbox", name="邮箱或手机号").fill("zhou.deputy@example.org")
        rerun_by(page, page.get_by_role("button", name="保存", exact=True).click)
        page.get_by_text("已保存。").wait_for(timeout=30_000)
        assert page.get_by_text("不会给您发送任何消息").count() == 0  # a channel for e-mail exists

        engine = make_engine(server.env["DATABASE_URL"])
        with session_scope(engine) as s:
            staff = accounts_queries.user_by_name(s, "demo-staff")
            handler = accounts_queries.user_by_name(s, "demo-handler")
            deputy = accounts_queries.user_by_name(s, "demo-deputy")
            congress = s.scalar(select(CongressSession.id).limit(1))
        pid = P.file(engine, staff, title="关于清溪步道护栏的建议", body="建议加装护栏。", session_id=congress,
                     lead_deputy_id=deputy.id)
        P.assign(engine, staff, pid, handler.unit_id)
        P.sign(engine, handler, pid)
        P.log_contact(engine, handler, pid, local_day(clock.now()), "phone", "电话听取代表意见。")
        P.answer(engine, handler, pid, "B", "已列入明年计划。")
        mail = until(lambda: next(iter(inbox.received()), None), 60, "the deputy's e-mail")
        assert mail.to == ["zhou.deputy@example.org"] and mail.subject == "【清溪卫士】建议已答复，待代表评价"
        link = f"{server.url}/proposal?id={pid}"
        assert "您领衔的建议“关于清溪步道护栏的建议”已答复，请登录查看并评价。" in mail.text
        assert mail.text.strip().endswith(link)
        page.goto(link)
        wait_idle(page)
        page.get_by_role("heading", name="关于清溪步道护栏的建议").wait_for(timeout=30_000)
        assert len(inbox.received()) == 1
        engine.dispose()


def test_a_waitlisted_volunteer_hears_of_the_promotion_and_gets_the_day_before_reminder(chromium, tmp_path):
    volunteer = "13912345678"
    with robots(1) as (sms,), portal(tmp_path, sms) as p:
        server = p.server
        p.channel("短信", sms.url().rstrip("/") + "/{to}/", "--events", "cleanup.promoted,cleanup.reminder",
                  "--person")
        engine = make_engine(server.env["DATABASE_URL"])
        with session_scope(engine) as s:
            staff = accounts_queries.user_by_name(s, "demo-staff")
        start = clock.now().replace(microsecond=0) + timedelta(hours=20)  # the day-before reminder is due
        cid = cu.create(engine, staff, cu.Plan(title="清溪一人清理日", starts_at=start,
                                               ends_at=start + timedelta(hours=2), km_from=1.0, km_to=1.5,
                                               capacity=1, meeting_km=1.0, equipment=["手套"]))
        cu.publish(engine, staff, cid)
        first = cu.sign_up(engine, cid, "林小溪", "13812345678")  # the one seat goes first

        page = chromium.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
        page.goto(f"{server.url}/cleanups?id={cid}")
        wait_idle(page)
        dismiss_first_start_notice(page)
        page.get_by_role("heading", name="清溪一人清理日").wait_for(timeout=30_000)
        page.get_by_role("textbox", name="姓名").fill("王阿婆")
        page.get_by_role("textbox", name="手机号码").fill(volunteer)
        page.get_by_role("button", name="提交报名").click()
        page.get_by_text("名额已满，您在候补名单第 1 位。").wait_for(timeout=30_000)
        code = page.locator(".qx-code").inner_text().strip()

        cu.cancel_signup(engine, first.code)  # the seat frees up: she moves up
        p.start_worker()
        texts = until(lambda: [m.text for m in list(sms.messages)] if len(sms.messages) >= 2 else None, 60,
                      "the promotion and the reminder")
        assert {tuple(m.body["at"]["atMobiles"]) for m in sms.messages} == {(volunteer,)}
        assert all(m.signed for m in sms.messages)
        promoted = next(x for x in texts if "候补转为正式" in x)
        reminder = next(x for x in texts if "提醒" in x)
        assert f"cleanup-signup?code={code}" in promoted and f"cleanup-signup?code={code}" in reminder
        assert "清溪一人清理日" in reminder
        page.goto(promoted.rsplit("：", 1)[-1].strip())  # the link in the text opens her own page
        wait_idle(page)
        page.get_by_text("好消息：您已从候补名单递补成功，名额已为您保留！").wait_for(timeout=30_000)
        engine.dispose()
