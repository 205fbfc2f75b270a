"""Addresses opened from outside (a signboard's QR code, a link in a chat) on a server that has just
started: the first visitor lands on the page asked for, with its query, and never on Streamlit's
"Page not found" dialog; a staff address asks a signed-out person to sign in and comes back."""
import pytest

from tests.support.browser import wait_idle

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
VILLAGE = "331022003302"


def _no_dialog(page) -> None:
    """Streamlit's dialog opens once the first run's page list arrives: by then the run is over."""
    wait_idle(page)
    assert page.get_by_role("dialog").count() == 0
    assert page.get_by_text("Page not found").count() == 0


def test_the_first_visitor_from_a_signboard_lands_on_the_form_with_the_village_chosen(chromium, fresh_server):
    context = chromium.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{fresh_server.url}/report?village={VILLAGE}")
    page.get_by_text("位置为村庄大致位置").wait_for(timeout=30_000)
    _no_dialog(page)
    assert page.get_by_role("heading", name="随手拍 · 上报河道问题").is_visible()
    assert f"village={VILLAGE}" in page.url and "/report" in page.url
    context.close()


def test_a_signed_out_staff_member_is_asked_to_sign_in_and_comes_back(chromium, demo_server):
    page = chromium.new_page(locale="zh-CN")
    page.goto(f"{demo_server.url}/triage?lang=zh")  # the server's very first visitor
    page.get_by_text("这个页面供工作人员使用，请先登录。").wait_for(timeout=30_000)
    _no_dialog(page)
    assert "/triage" in page.url
    page.get_by_label("用户名").fill("demo-staff")
    page.get_by_label("密码").fill(demo_server.demo_password("demo-staff"))
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/triage?lang=zh" in url and "signin" not in url)
    page.get_by_role("heading", name="分拣台 · 待办问题").wait_for(timeout=30_000)
    _no_dialog(page)
    page.get_by_test_id("stSidebar").get_by_text("已登录").wait_for()
    page.close()
