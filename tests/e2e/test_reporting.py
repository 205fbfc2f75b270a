"""A villager on a phone files a report from a GPS-tagged photo and follows it, in Chromium."""
import re

import pytest

from tests.support.browser import file_report, point_on_map, track, wait_idle
from tests.support.photo_samples import gps_ifd, jpeg

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def test_file_follow_and_find_a_report_on_a_phone(chromium, fresh_server, tmp_path):
    photo = tmp_path / "river.jpg"
    photo.write_bytes(jpeg((1200, 900), gps=gps_ifd(121.398, 29.1492), make="Phone", model="X1"))
    context = chromium.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    code = file_report(page, fresh_server.url, photo)
    assert page.get_by_role("heading", name="随手拍 · 上报河道问题").is_visible()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{6}", code)
    assert page.get_by_test_id("stException").count() == 0

    track(page, fresh_server.url, code)
    page.get_by_role("heading", name="已收到，等待工作人员查看").wait_for(timeout=30_000)
    wait_idle(page)
    page.get_by_text("岸边垃圾").first.wait_for(timeout=15_000)

    context.close()

    # On a desktop screen, find it on the map: hover shows its tooltip, a tap opens its card.
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(f"{fresh_server.url}/map")
    wait_idle(page)
    page.wait_for_selector("canvas", timeout=30_000)
    page.get_by_text("共 1 个问题上报").wait_for()
    x, y = point_on_map(page, 121.398, 29.1492)
    page.mouse.move(x, y)
    page.mouse.move(x + 1, y)
    tooltip = page.locator(".deck-tooltip")
    tooltip.filter(has_text="岸边垃圾").wait_for(timeout=10_000)
    assert "待签收" in tooltip.inner_text() and "5.47" in tooltip.inner_text()
    page.mouse.click(x + 1, y)
    wait_idle(page)
    page.get_by_text("0 人关注").wait_for(timeout=15_000)
    assert code not in page.content()  # the tracking code is never public
    page.close()
