"""The closed loop in a real browser: staff sign for and dispatch a new report, the handling
unit resolves it with a photo, staff close it as fixed, and the reporter sees it fixed."""
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError
from sqlalchemy import select

from db.engine import make_engine, session_scope
from db.models import Report
from qingxi import intake
from qingxi.demo import DEMO_PASSWORD
from tests.e2e.conftest import sign_in, wait_idle
from tests.unit.photo_samples import gps_ifd, jpeg

pytestmark = pytest.mark.e2e


def _act(page, action: str, note: str = "", photo=None, unit: str | None = None) -> None:
    """Choose an action in the open report's form and submit it."""
    form = page.get_by_test_id("stForm").filter(has_text="操作")  # the action form, not moderation
    _choose(page, form.get_by_test_id("stSelectbox").first, action)
    if unit:
        _choose(page, form.get_by_test_id("stSelectbox").nth(1), unit)
    if note:
        form.get_by_label("说明 / 回复内容").fill(note)
    if photo:
        form.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(photo))
        form.get_by_text(photo.name).wait_for()
    form.get_by_role("button", name="确定").click()
    wait_idle(page)
    page.get_by_text("已办理。").wait_for(timeout=30_000)


def _choose(page, box, option: str) -> None:
    """Open a select box and pick an option (a click that lands during a rerun is lost: retry)."""
    for _ in range(5):
        box.click()
        choice = page.get_by_role("option", name=option, exact=True)
        try:
            choice.wait_for(timeout=3000)
        except TimeoutError:
            page.keyboard.press("Escape")
            continue
        choice.click()
        return
    raise AssertionError(f"no option {option!r}")


def _open(page, base: str, rid: int, code: str | None = None) -> None:
    """Open a report on the desk from its queue row, or (staff, whose queue comes 25 a page with
    the demo's overdue reports first) through *Find a report* by its tracking code."""
    page.goto(f"{base}/triage?lang=zh")
    wait_idle(page)
    if code is None:
        page.locator(f".st-key-open{rid} button").click()  # Streamlit tags keyed widgets with st-key-<key>
    else:
        page.get_by_text("查找问题上报").click()
        page.get_by_label("跟踪码").fill(code.lower())
        page.get_by_role("button", name="查找").click()
        wait_idle(page)
        page.locator(f".st-key-find{rid} button").click()
    wait_idle(page)
    page.get_by_test_id("stForm").filter(has_text="操作").wait_for(timeout=30_000)


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
    sign_in(staff, demo_server.url, "demo-staff", DEMO_PASSWORD)
    _open(staff, demo_server.url, rid, code)
    _act(staff, "签收")
    assert _state(engine, code) == "signed"
    _act(staff, "派单给承办单位", unit="沙柳村村委会（演示）")
    assert _state(engine, code) == "dispatched"
    staff.reload()
    wait_idle(staff)
    staff.get_by_test_id("stSidebar").get_by_text("已登录：演示工作人员").wait_for(timeout=30_000)

    handler = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000}).new_page()
    sign_in(handler, demo_server.url, "demo-handler", DEMO_PASSWORD)
    _open(handler, demo_server.url, rid)
    after = tmp_path / "after.jpg"
    after.write_bytes(jpeg((800, 600)))
    _act(handler, "办结（附处理后照片）", note="已清运", photo=after)
    assert _state(engine, code) == "resolved"

    _open(staff, demo_server.url, rid, code)
    _act(staff, "确认已解决并关闭", note="垃圾已清运完毕，谢谢反映。")
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
