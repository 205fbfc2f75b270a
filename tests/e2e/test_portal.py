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


@pytest.mark.parametrize("module", ["home", "river_map"])
def test_page_modules_never_run_on_their_own(chromium, fresh_server, module):
    """On a freshly started server the first request to a page module's bare name must not show
    that page: page modules hold functions only, and url_paths never equal module names."""
    page = chromium.new_page()
    page.goto(f"{fresh_server.url}/{module}")
    wait_idle(page)
    headings = page.locator("h1").all_inner_texts()
    assert page.locator("canvas").count() == 0
    assert "清溪沙柳段地图" not in headings
    if page.get_by_test_id("stSidebarNav").count() == 0:
        assert headings == []  # the module ran bare: it drew nothing at all
    page.close()
