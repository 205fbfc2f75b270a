"""A villager signs the river pledge on a phone and sees their village's coverage rise; the phone
they typed is never on the page. In Chromium against `streamlit run`."""
import pytest

from db.engine import engine_for, session_scope
from qingxi import accounts, pledge
from tests.support.browser import choose, dismiss_first_start_notice, wait_idle

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
VILLAGE = "331022003204"  # 沙柳村


def test_a_villager_signs_on_a_phone_and_sees_coverage_rise(chromium, fresh_server):
    engine = engine_for(fresh_server.env["DATABASE_URL"])
    with session_scope(engine) as s:
        staff = accounts.create_user(s, "e2e-staff", "梅站长", "staff", "password-1")
    pledge.install_demo_text(engine)
    pledge.set_households(engine, staff, VILLAGE, 10)
    context = chromium.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{fresh_server.url}/pledge")
    wait_idle(page)
    dismiss_first_start_notice(page)
    page.get_by_text("这是演示文本").first.wait_for(timeout=30_000)
    page.get_by_text("已有 0 户、0 人签名。").first.wait_for()
    choose(page, page.get_by_test_id("stSelectbox").filter(has_text="村（社区）"), "沙柳村", in_form=True)
    page.get_by_role("textbox", name="户名").fill("林家")
    page.get_by_role("textbox", name="手机号码").fill("13812345678")
    page.get_by_role("button", name="我家签名").click()
    page.get_by_text("谢谢！沙柳村已有 1 户签名。").wait_for(timeout=30_000)
    page.get_by_text("已有 1 户、3 人签名。").first.wait_for()
    page.get_by_text("林家 · 沙柳村").wait_for()  # the name the household gave for display
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_role("img").count() >= 1  # the QR code to pass it on
    assert "13812345678" not in page.content()
    assert [c.signed for c in pledge.coverage(engine) if c.code == VILLAGE] == [1]
    context.close()
