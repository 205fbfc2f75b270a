"""The phone remembers the codes it was given: after the browser is closed and opened again, /track
lists the report filed on it with where it stands, and forgets it on request."""
import pytest

from tests.support.browser import file_report, rerun_by, wait_idle
from tests.support.photo_samples import gps_ifd, jpeg

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
KEPT = "() => localStorage.getItem('qingxi.codes') || ''"


def _phone(chromium, **options):
    return chromium.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, **options)


def test_track_lists_this_phones_report_after_the_browser_is_reopened(chromium, fresh_server, tmp_path):
    photo = tmp_path / "river.jpg"
    photo.write_bytes(jpeg((1200, 900), gps=gps_ifd(121.398, 29.1492)))
    context = _phone(chromium)
    page = context.new_page()
    code = file_report(page, fresh_server.url, photo)
    page.wait_for_function(f"() => ({KEPT})().includes('{code}')", timeout=30_000)
    saved = context.storage_state()  # what the phone keeps when the browser is closed
    context.close()

    context = _phone(chromium, storage_state=saved)
    page = context.new_page()
    page.goto(f"{fresh_server.url}/track?lang=zh")
    wait_idle(page)
    page.get_by_text("这部手机上的上报和报名").wait_for(timeout=30_000)
    page.get_by_role("button", name=code).wait_for()
    page.get_by_text("岸边垃圾 · 已收到，等待工作人员查看").wait_for()

    rerun_by(page, page.get_by_role("button", name="忘记").click)
    page.wait_for_function(f"() => !({KEPT})().includes('{code}')", timeout=30_000)
    page.get_by_role("button", name=code).wait_for(state="detached", timeout=30_000)
    context.close()


def test_a_sign_up_links_to_the_address_used_and_stays_on_the_phone(chromium, fresh_server):
    """The reminder text names the address the phone reached (not QINGXI_PUBLIC_URL's default,
    which is unset here), and the sign-up's code is listed on /track after the browser reopens."""
    from tests.e2e.test_cleanups import one_seat_day

    cid = one_seat_day(fresh_server.env["DATABASE_URL"])
    context = _phone(chromium)
    page = context.new_page()
    page.goto(f"{fresh_server.url}/cleanups?id={cid}")
    page.get_by_role("heading", name="清溪一人清理日").wait_for(timeout=30_000)
    wait_idle(page)
    page.get_by_role("textbox", name="姓名").fill("林小溪")
    page.get_by_role("textbox", name="手机号码").fill("13812345678")
    page.get_by_role("button", name="提交报名").click()
    page.get_by_text("报名成功，名额已为您保留。").wait_for(timeout=30_000)
    code = page.locator(".qx-code").inner_text().strip()
    reminder = page.get_by_test_id("stCode").last.inner_text()
    assert f"{fresh_server.url}/cleanup-signup?code={code}" in reminder and "localhost:8501" not in reminder
    page.wait_for_function(f"() => ({KEPT})().includes('{code}')", timeout=30_000)
    saved = context.storage_state()
    context.close()

    context = _phone(chromium, storage_state=saved)
    page = context.new_page()
    page.goto(f"{fresh_server.url}/track?lang=zh")
    page.get_by_text("清溪一人清理日 · 已报名").wait_for(timeout=30_000)
    page.get_by_role("link", name=code).wait_for()
    context.close()
