"""The closed loop in a real browser: staff sign for and dispatch a new report, the handling
unit resolves it with a photo, staff close it as fixed, and the reporter sees it fixed."""
from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import make_engine, session_scope
from db.models import Report
from qingxi.reports import intake
from tests.support.browser import desk_act, open_on_desk, sign_in, wait_idle
from tests.support.photo_samples import gps_ifd, jpeg

pytestmark = pytest.mark.e2e


def _state(engine, code: str) -> str:
    with session_scope(engine) as s:
        return s.scalars(select(Report.state).where(Report.code == code)).one()


def test_staff_and_handler_close_the_loop(chromium, demo_server, tmp_path):
    engine = make_engine(demo_server.env["DATABASE_URL"])
    with session_scope(engine) as s:
        where = intake.place(s, 121.4001, 29.1512, "gps")
    data = jpeg((900, 700), gps=gps_ifd(121.4001, 29.1512))
    code = intake.submit(engine, intake.Submission([data], "illegal_dumping", where, size="truck"),
                         Path(demo_server.env["QINGXI_PHOTO_DIR"])).code
    with session_scope(engine) as s:
        rid = s.scalars(select(Report.id).where(Report.code == code)).one()

    staff = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000}).new_page()
    sign_in(staff, demo_server.url, "demo-staff", demo_server.demo_password("demo-staff"))
    open_on_desk(staff, demo_server.url, rid, code)
    desk_act(staff, rid, "签收")
    assert _state(engine, code) == "signed"
    desk_act(staff, rid, "派单给承办单位", unit="沙柳村村委会（演示）")
    assert _state(engine, code) == "dispatched"
    staff.reload()
    wait_idle(staff)
    staff.get_by_test_id("stSidebar").get_by_text("已登录：演示工作人员").wait_for(timeout=30_000)

    handler = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000}).new_page()
    sign_in(handler, demo_server.url, "demo-handler", demo_server.demo_password("demo-handler"))
    open_on_desk(handler, demo_server.url, rid)
    after = tmp_path / "after.jpg"
    after.write_bytes(jpeg((800, 600)))
    desk_act(handler, rid, "办结（附处理后照片）", note="已清运", photo=after)
    assert _state(engine, code) == "resolved"

    open_on_desk(staff, demo_server.url, rid, code)
    desk_act(staff, rid, "确认已解决并关闭", note="垃圾已清运完毕，谢谢反映。")
    assert _state(engine, code) == "fixed"

    reporter = chromium.new_context(locale="zh-CN").new_page()
    reporter.goto(f"{demo_server.url}/track?code={code}&lang=zh")
    wait_idle(reporter)
    reporter.get_by_role("heading", name="已解决").wait_for(timeout=30_000)
    reporter.get_by_text("垃圾已清运完毕，谢谢反映。").wait_for()
    reporter.get_by_role("heading", name="处理后的照片").wait_for()

    staff.get_by_test_id("stSidebar").get_by_role("button", name="退出登录").click()
    staff.wait_for_load_state()
    wait_idle(staff)
    staff.goto(f"{demo_server.url}/triage?lang=zh")
    wait_idle(staff)
    assert staff.get_by_role("heading", name="分拣台 · 待办问题").count() == 0
