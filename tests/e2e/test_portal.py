"""The portal as a person sees it, in a real browser."""
import pytest

from tests.e2e.conftest import wait_idle

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang, title, map_title", [
    ("zh", "清溪守护", "清溪沙柳段地图"),
    ("en", "Qingxi Guardian", "The Qingxi, Shaliu reach"),
])
def test_home_and_map(chromium, server, lang, title, map_title, tmp_path):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server.url}/?lang={lang}")
    wait_idle(page)
    assert page.get_by_role("heading", name=title).is_visible()
    assert page.get_by_test_id("stMetric").count() == 4
    assert page.get_by_test_id("stException").count() == 0

    page.get_by_test_id("stSidebarNav").get_by_role("link").nth(1).click()
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


@pytest.mark.parametrize("module, marker", [("home", "清溪守护"), ("river_map", "canvas")])
def test_page_modules_never_run_on_their_own(chromium, fresh_server, module, marker):
    """On a freshly started server the first request to a page module's bare name must not run
    that module on its own: page modules hold functions only."""
    page = chromium.new_page()
    page.goto(f"{fresh_server.url}/{module}")
    wait_idle(page)
    if module == "home":
        # app.py may still answer with its default page; what must not happen is the module
        # running bare (an empty app with no sidebar and no navigation).
        assert page.get_by_test_id("stSidebarNav").count() == 1
    else:
        assert page.locator("canvas").count() == 0
        assert page.get_by_role("heading", name="清溪沙柳段地图").count() == 0
    page.close()
