"""The portal as a person sees it, in a real browser."""
import pytest

from tests.support.browser import wait_idle

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang, title, map_link, map_title", [
    ("zh", "清溪守护", "清溪地图", "清溪沙柳段地图"),
    ("en", "Qingxi Guardian", "River map", "The Qingxi, Shaliu reach"),
])
def test_home_and_map(chromium, server, lang, title, map_link, map_title, tmp_path):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server.url}/?lang={lang}")
    wait_idle(page)
    assert page.get_by_role("heading", name=title).is_visible()
    assert page.get_by_test_id("stMetric").count() == 4
    assert page.get_by_test_id("stException").count() == 0

    page.get_by_test_id("stSidebarNav").get_by_role("link", name=map_link).click()
    wait_idle(page)
    page.wait_for_selector("canvas", timeout=30_000)
    assert page.get_by_role("heading", name=map_title).is_visible()
    assert page.get_by_test_id("stException").count() == 0
    page.screenshot(path=str(tmp_path / f"map-{lang}.png"))
    context.close()


def test_language_follows_browser_and_switch(chromium, server):
    context = chromium.new_context(locale="en-US")
    page = context.new_page()
    page.goto(server.url)
    wait_idle(page)
    assert page.get_by_role("heading", name="Qingxi Guardian").is_visible()
    page.get_by_test_id("stSidebar").get_by_text("中文").click()
    wait_idle(page)
    assert page.get_by_role("heading", name="清溪守护").is_visible()
    assert "lang=zh" in page.url
    context.close()


@pytest.mark.parametrize("module, shows", [("map", "清溪沙柳段地图"), ("track", "追踪码")])
def test_a_first_visit_to_a_page_module_name_shows_that_page_from_the_menu(chromium, fresh_server, module, shows):
    """One name per area: /map is pages/map.py. On a freshly started server the very first request
    runs app.py's menu entry for it (menu shown, page drawn), never the module bare (which, holding
    functions only, would draw nothing) and never a "Page not found" dialog."""
    page = chromium.new_page(locale="zh-CN")
    page.goto(f"{fresh_server.url}/{module}?lang=zh")
    wait_idle(page)
    page.get_by_test_id("stSidebarNav").wait_for()
    page.get_by_text(shows, exact=True).first.wait_for()
    assert page.get_by_role("dialog").count() == 0
    page.close()
