"""The portal on a phone-sized screen (390×844) in Chromium: the home's three actions in the first
screen, big enough for a thumb; the uploader speaks the person's language; the menu closes after a
choice."""
import pytest

from tests.support.browser import wait_idle

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
TARGETS = ("[data-testid=stCheckbox] label, [data-testid=stRadio] [role=radiogroup] label, .stButton button, "
           "[data-testid=stFileUploaderDropzone] button, [data-baseweb=select] > div, [data-testid=stPageLink] a, "
           "[data-testid=stExpandSidebarButton], [data-testid=stExpander] summary")
OPEN = "[data-testid=stSidebar][data-collapsed=false]"


def _phone(chromium, mobile: bool = True):
    context = chromium.new_context(locale="zh-CN", viewport=PHONE, is_mobile=mobile, has_touch=mobile)
    return context.new_page()


def test_home_shows_the_three_actions_in_the_first_screen(chromium, fresh_server):
    page = _phone(chromium)
    page.goto(f"{fresh_server.url}/?lang=zh")
    wait_idle(page)
    for label, path in (("随手拍上报", "/report"), ("查进度", "/track"), ("报名清理日", "/cleanups")):
        link = page.locator("[data-testid=stPageLink] a", has_text=label).first
        link.wait_for()
        box = link.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], (label, box)  # no scrolling
        assert box["height"] >= 44 and box["width"] >= 200, (label, box)
        assert link.get_attribute("href").split("?")[0].rstrip("/").endswith(path.lstrip("/"))
    assert page.evaluate("window.scrollY") == 0
    # The menu button a finger can hit.
    menu = page.get_by_test_id("stExpandSidebarButton")
    box = menu.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box
    page.context.close()


def test_the_menu_closes_after_a_choice_in_a_narrow_window(chromium, fresh_server):
    """A narrow window whose browser does not say it is a phone: Streamlit alone keeps the menu open."""
    page = _phone(chromium, mobile=False)
    page.goto(f"{fresh_server.url}/?lang=zh")
    wait_idle(page)
    page.get_by_test_id("stExpandSidebarButton").click()
    sidebar = page.get_by_test_id("stSidebar")
    page.wait_for_function(f"() => document.querySelector('{OPEN}')")
    sidebar.locator("[data-testid=stSidebarNav] a", has_text="查进度").click()
    page.wait_for_function(f"() => !document.querySelector('{OPEN}')")
    wait_idle(page)
    page.get_by_role("textbox").first.wait_for()
    assert page.url.split("?")[0].endswith("/track")
    page.context.close()


def test_typing_shows_no_english_hint(chromium, fresh_server):
    page = _phone(chromium)
    page.goto(f"{fresh_server.url}/track?lang=zh")
    wait_idle(page)
    field = page.get_by_role("textbox").first
    field.click()
    field.press_sequentially("ABC")
    hint = page.get_by_test_id("InputInstructions").first
    hint.wait_for(state="attached")
    assert "Press" not in hint.inner_text() and "Enter" not in hint.inner_text(), hint.inner_text()
    assert "3/" in hint.inner_text()  # the counter stays
    page.context.close()


def test_the_uploader_speaks_chinese(chromium, fresh_server):
    page = _phone(chromium)
    page.goto(f"{fresh_server.url}/report?lang=zh")
    wait_idle(page)
    zone = page.get_by_test_id("stFileUploaderDropzone").first
    zone.wait_for()
    shown = zone.inner_text()
    for english in ("Upload", "per file", "JPG, PNG", "Browse files", "Drag and drop"):
        assert english not in shown, shown
    button = zone.locator("button")
    assert button.evaluate("b => getComputedStyle(b, '::after').content") == '"选择照片"'
    assert button.bounding_box()["height"] >= 44
    assert page.get_by_text("每个文件不超过 20 MB，可用格式：JPG、PNG、WEBP、HEIC").is_visible()
    # Every target a finger taps on the form is at least 44 px high (checkboxes and radio rows were 21).
    targets = page.evaluate("""sel => [...document.querySelectorAll(sel)].filter(e => e.offsetParent)
        .map(e => [e.innerText.slice(0, 12), e.getBoundingClientRect().height])""", TARGETS)
    assert len(targets) >= 10 and all(height >= 44 for _, height in targets), targets
    page.context.close()
