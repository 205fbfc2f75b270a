"""What the portal itself sends and shows, in Chromium: security headers on Streamlit's pages and
our routes (which keep working under them), and calm words instead of a stack trace when a page
fails unexpectedly."""
import sqlite3
import urllib.request

import pytest

from tests.support.browser import dismiss_first_start_notice, wait_idle

pytestmark = pytest.mark.e2e
CSP = "frame-ancestors 'self'; object-src 'none'; base-uri 'self'"


def headers(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return {k.lower(): v for k, v in resp.headers.items()}


def test_security_headers_everywhere_and_the_pages_still_work(chromium, fresh_server):
    for path in ("/", "/report?village=331022003204", "/_stcore/health", "/open311/v2/services.json"):
        sent = headers(fresh_server.url + path)
        assert sent["x-content-type-options"] == "nosniff", path
        assert sent["referrer-policy"] == "strict-origin-when-cross-origin", path
        assert sent["content-security-policy"] == CSP, path
    page = chromium.new_page(locale="zh-CN", viewport={"width": 390, "height": 844})
    refused = []
    page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(fresh_server.url + "/map")
    wait_idle(page)
    dismiss_first_start_notice(page)
    page.wait_for_selector("canvas", timeout=30_000)  # deck.gl draws under the policy
    page.get_by_role("heading", name="清溪沙柳段地图").wait_for()
    assert refused == [] and page.get_by_test_id("stException").count() == 0


def test_a_page_that_fails_unexpectedly_shows_calm_words_and_a_number(chromium, fresh_server, tmp_path):
    with sqlite3.connect(fresh_server.env["DATABASE_URL"].removeprefix("sqlite:///")) as db:
        db.execute("DROP TABLE map_cells")  # a damaged database: the map cannot be read
    page = chromium.new_page(locale="zh-CN", viewport={"width": 390, "height": 844})
    page.goto(fresh_server.url + "/map")
    wait_idle(page)
    dismiss_first_start_notice(page)
    calm = page.get_by_text("这个页面出了点问题，没能显示出来")
    calm.wait_for(timeout=30_000)
    assert page.get_by_test_id("stException").count() == 0
    assert "Traceback" not in page.content() and "OperationalError" not in page.content()
    ref = calm.inner_text().split("编号 ")[1][:8]
    fresh_server.log.flush()
    log = (tmp_path / "streamlit.log").read_text()
    assert f"incident {ref}" in log and "no such table: map_cells" in log
