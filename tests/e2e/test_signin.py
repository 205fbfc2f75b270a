"""Signing in and out through the real form and routes, in Chromium: the cookie survives a reload."""
import pytest

from tests.support.browser import dismiss_first_start_notice, sign_in, wait_idle

pytestmark = pytest.mark.e2e


def _form(page):
    wait_idle(page)
    dismiss_first_start_notice(page)
    page.get_by_label("用户名").wait_for(timeout=30_000)


def test_sign_in_reload_and_sign_out(chromium, server):
    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in(page, server.url, "demo-staff", server.demo_password("demo-staff"))
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("已登录：演示工作人员").wait_for(timeout=30_000)
    cookie = next(c for c in context.cookies() if c["name"] == "qx_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie").find("qx_session") == -1  # scripts cannot read it
    assert sidebar.get_by_role("link", name="二维码标牌").is_visible()  # staff-only page

    page.reload()
    wait_idle(page)
    sidebar.get_by_text("已登录：演示工作人员").wait_for(timeout=30_000)

    sidebar.get_by_role("button", name="退出登录").click()
    page.wait_for_load_state()
    wait_idle(page)
    sidebar.get_by_role("link", name="工作人员登录").wait_for(timeout=30_000)
    assert sidebar.get_by_text("已登录").count() == 0
    assert not [c for c in context.cookies() if c["name"] == "qx_session"]
    context.close()


def test_a_wrong_password_gets_the_generic_message_in_chinese(chromium, server):
    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{server.url}/signin")
    _form(page)
    page.get_by_label("用户名").fill("demo-staff")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "error=wrong" in url)
    wait_idle(page)
    page.get_by_text("用户名或密码不正确").wait_for(timeout=30_000)
    assert not [c for c in context.cookies() if c["name"] == "qx_session"]
    context.close()


def test_changing_the_password_in_the_browser(chromium, demo_server):
    old, new = demo_server.demo_password("demo-deputy"), "brisk otter lantern 47"
    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in(page, demo_server.url, "demo-deputy", old)
    page.goto(f"{demo_server.url}/account?lang=zh")
    wait_idle(page)
    page.get_by_label("现在的密码", exact=True).fill(old)
    page.get_by_label("新密码", exact=True).fill(new)
    page.get_by_label("再输一次新密码", exact=True).fill(new)
    page.get_by_role("button", name="修改密码").click()
    page.get_by_text("密码已修改").wait_for(timeout=30_000)
    context.close()
    again = chromium.new_context(locale="zh-CN")
    sign_in(again.new_page(), demo_server.url, "demo-deputy", new)  # the new one opens the account
    again.close()
