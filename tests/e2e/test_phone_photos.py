"""Photos as phones write them, through the whole loop in Chromium: a villager on a phone-sized screen
files a report from an Android JPEG or an iPhone HEIC, staff dispatch it with a public word, the unit
resolves it with an after-photo and a public reply, the villager reads every step and word on /track,
says it is still there with a photo, then confirms it fixed. And a failure while sending is calm."""
from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import make_engine, session_scope
from db.models import Photo, Report
from tests.support import phone_photos
from tests.support.browser import (
    desk_act,
    dismiss_first_start_notice,
    file_report,
    open_on_desk,
    rerun_by,
    sign_in,
    track,
    wait_idle,
)
from tests.support.servers import Server

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def _write(folder: Path, sample: phone_photos.Sample) -> Path:
    path = folder / sample.name
    path.write_bytes(sample.data)
    return path


@pytest.mark.parametrize("filed_with, after_with", [
    (phone_photos.android_jpeg, phone_photos.iphone_heic),
    (phone_photos.iphone_heic, phone_photos.android_jpeg),
], ids=["android-jpeg", "iphone-heic"])
def test_a_phone_photo_goes_round_the_whole_loop(chromium, demo_server, tmp_path, filed_with, after_with):
    engine = make_engine(demo_server.env["DATABASE_URL"])
    first, after, still = filed_with(41), after_with(42), filed_with(43)
    phone = chromium.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    code = file_report(phone, demo_server.url, _write(tmp_path, first))
    assert phone.get_by_test_id("stException").count() == 0
    with session_scope(engine) as s:
        rid, km = s.execute(select(Report.id, Report.river_km).where(Report.code == code)).one()
    assert 5.2 < km < 5.7  # placed by the photo's GPS

    staff = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000}).new_page()
    sign_in(staff, demo_server.url, "demo-staff", demo_server.demo_password("demo-staff"))
    open_on_desk(staff, demo_server.url, rid, code)
    desk_act(staff, rid, "签收")
    desk_act(staff, rid, "派单给承办单位", note="已请沙柳村村委会今天处理。", unit="沙柳村村委会（演示）", public=True)

    handler = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000}).new_page()
    sign_in(handler, demo_server.url, "demo-handler", demo_server.demo_password("demo-handler"))
    open_on_desk(handler, demo_server.url, rid)
    desk_act(handler, rid, "办结（附处理后照片）", note="已清理干净。", photo=_write(tmp_path, after))

    track(phone, demo_server.url, code)
    phone.get_by_role("heading", name="处理单位说已处理好，工作人员正在核实").wait_for(timeout=30_000)
    for words in ("收到了你的上报，等待工作人员查看", "工作人员已签收", "已交给负责的单位处理", "已请沙柳村村委会今天处理。",
                  "处理单位说已处理好，等待工作人员核实", "已清理干净。", "照片拍摄于 2026-10-03 09:41"):
        phone.get_by_text(words).first.wait_for(timeout=15_000)
    phone.screenshot(path=str(tmp_path / "track-resolved.png"), full_page=True)

    phone.get_by_text("问题还在？").click()
    form = phone.get_by_test_id("stForm")
    form.get_by_label("说说现在的情况（必填）").fill("桥洞下面还有两袋没清走")
    form.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(_write(tmp_path, still)))
    form.get_by_test_id("stFileChip").wait_for()
    rerun_by(phone, form.get_by_role("button", name="问题还在，重新打开").click)  # the run that stores the photo
    phone.get_by_text("你说问题还在").wait_for(timeout=60_000)
    phone.get_by_text("桥洞下面还有两袋没清走").wait_for()

    phone.get_by_role("button", name="确认已经解决").click()
    phone.get_by_text("谢谢确认！").wait_for(timeout=30_000)
    phone.get_by_text("你确认问题已经解决").wait_for()
    assert phone.get_by_test_id("stException").count() == 0

    with session_scope(engine) as s:
        rows = s.execute(select(Photo.kind, Photo.taken_at, Photo.taken_source).where(Photo.report_id == rid)
                         .order_by(Photo.id)).all()
        report = s.get(Report, rid)
        assert (report.state, report.confirmed_fixed_at is not None) == ("resolved", True)
    assert rows == [("report", first.taken_at, first.taken_source), ("after", after.taken_at, after.taken_source),
                    ("observation", still.taken_at, still.taken_source)]


def test_a_failure_while_sending_is_calm_and_stores_nothing(chromium, tmp_path):
    """The photo folder cannot be written (here: a file stands where the folder should be)."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a disk problem")
    server = Server(tmp_path, demo=False, QINGXI_PHOTO_DIR=str(blocked / "photos"))
    try:
        page = chromium.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
        page.goto(f"{server.url}/report")
        wait_idle(page)
        dismiss_first_start_notice(page)
        sample = phone_photos.android_jpeg(44)
        page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(_write(tmp_path, sample)))
        page.get_by_text("位置来自照片").wait_for(timeout=30_000)
        page.get_by_role("button", name="偷倒垃圾").click()
        wait_idle(page)
        page.get_by_role("button", name="提交上报").click()
        alert = page.get_by_text("没有发送成功，什么也没有保存。")
        alert.wait_for(timeout=30_000)
        assert page.get_by_test_id("stException").count() == 0
        assert "Traceback" not in page.content() and "NotADirectoryError" not in page.content()
        page.get_by_test_id("stFileChip").wait_for()  # the photo is still on the form
        page.screenshot(path=str(tmp_path / "not-sent.png"), full_page=True)
        with session_scope(make_engine(server.env["DATABASE_URL"])) as s:
            assert s.scalar(select(Report.id)) is None
        ref = alert.inner_text().split("编号 ")[1][:8]
        server.log.flush()
        assert f"incident {ref}" in (tmp_path / "streamlit.log").read_text()
    finally:
        server.stop()
