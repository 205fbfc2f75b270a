"""Driving the portal in Chromium as a person would: wait for the state a step needs, never for a
fixed time (the suite must pass on a busy machine)."""
from __future__ import annotations

import math
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
# Installed in every page the tests open: window.qxRuns counts the script runs that have ended, so
# a step can wait for the run its own click started rather than for a guessed time.
COUNT_RUNS = """
window.qxRuns = 0;
new MutationObserver(records => {
  for (const r of records) {
    if (r.oldValue === 'running' && r.target.getAttribute('data-test-script-state') !== 'running') window.qxRuns++;
  }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""


class Chromium:
    """The browser the tests drive: every context it opens counts script runs (COUNT_RUNS)."""

    def __init__(self, browser):
        self.browser = browser

    def new_context(self, **options):
        context = self.browser.new_context(**options)
        context.add_init_script(COUNT_RUNS)
        return context

    def new_page(self, **options):
        page = self.new_context(**options).new_page()
        page.on("close", lambda _: page.context.close())
        return page

    def __getattr__(self, name):
        return getattr(self.browser, name)


def rerun_by(page, act) -> None:
    """Do `act` (a click, a key) and wait until the script run it causes has ended and been painted."""
    runs = page.evaluate("window.qxRuns")
    act()
    page.wait_for_function("n => window.qxRuns > n", arg=runs, timeout=60_000)
    wait_idle(page)


def wait_idle(page, timeout: float = 30_000) -> None:
    """Streamlit has finished the script run and painted it: no element is left stale from the
    run before, and the browser has drawn two frames since."""
    page.wait_for_selector(IDLE, timeout=timeout)
    # a page just opened is "not running" before its first run has even started: wait for that run too
    page.wait_for_function(
        "s => document.querySelector(s) && !document.querySelector('[data-stale=true]')"
        " && !(window.qxRuns === 0)", arg=IDLE, timeout=timeout)
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r())))")


def dismiss_first_start_notice(page) -> None:
    """On a freshly started server Streamlit answers the very first deep link with a "Page not
    found" dialog before app.py has registered its pages (it then shows the right page)."""
    if page.get_by_role("dialog").count():
        page.keyboard.press("Escape")
        page.get_by_role("dialog").wait_for(state="detached")


def point_on_map(page, lon: float, lat: float) -> tuple[float, float]:
    """Screen position of lon/lat on the map's canvas at its initial view (Web Mercator, deck.gl's
    512-pixel world at zoom 0)."""
    from ui.layers import VIEW

    box = page.locator("canvas").first.bounding_box()
    scale = 512 * 2 ** VIEW.zoom
    merc = lambda la: math.log(math.tan(math.pi / 4 + math.radians(la) / 2))  # noqa: E731
    x = (lon - VIEW.longitude) / 360 * scale
    y = (merc(VIEW.latitude) - merc(lat)) / (2 * math.pi) * scale
    return box["x"] + box["width"] / 2 + x, box["y"] + box["height"] / 2 + y


def file_report(page, base_url: str, photo: Path) -> str:
    """File a bank-litter report from a GPS-tagged photo through the report form; its tracking code."""
    page.goto(f"{base_url}/report")
    wait_idle(page)
    dismiss_first_start_notice(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(photo))
    page.get_by_text("位置来自照片").wait_for(timeout=30_000)
    wait_idle(page)
    page.get_by_role("button", name="岸边垃圾").click()
    wait_idle(page)
    page.get_by_role("button", name="提交上报").click()
    page.get_by_text("上报成功").wait_for(timeout=30_000)
    return page.locator(".qx-code").inner_text().strip()


def track(page, base_url: str, code: str) -> None:
    """Look a report up by its code on the status page."""
    page.goto(f"{base_url}/track")
    wait_idle(page)
    dismiss_first_start_notice(page)
    box = page.get_by_label("追踪码")
    box.fill(code.lower())
    box.press("Enter")
    wait_idle(page)


def sign_in(page, base_url: str, username: str, password: str) -> None:
    """Through the real form and route, as a person would; waits until the app says who is in."""
    page.goto(f"{base_url}/signin?lang=zh")
    wait_idle(page)
    dismiss_first_start_notice(page)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/signin" not in url)
    wait_idle(page)
    page.get_by_test_id("stSidebar").get_by_text("已登录").wait_for(timeout=30_000)


def choose(page, box, option: str, in_form: bool = False) -> None:
    """Open a select box and pick an option (a click that lands during a rerun is lost: retry);
    outside a form, wait for the run the choice starts."""
    wait_idle(page)  # a run still painting can show the box twice, the old one beside the new
    shown = box.locator("input")
    if shown.input_value() == option:
        return  # already chosen: nothing would run
    runs = page.evaluate("window.qxRuns")
    for _ in range(5):
        if shown.input_value() == option:
            break  # an earlier click did land, late
        box.click()
        choice = page.get_by_role("option", name=option, exact=True)
        try:
            choice.wait_for(timeout=3000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        choice.click()
        try:  # the box shows the choice at once; a click that landed during a rerun leaves it unchanged
            expect(shown).to_have_value(option, timeout=5000)
            break
        except AssertionError:
            continue
    else:
        raise AssertionError(f"no option {option!r}")
    if not in_form:
        page.wait_for_function("n => window.qxRuns > n", arg=runs, timeout=60_000)
        wait_idle(page)


def open_on_desk(page, base: str, rid: int, code: str | None = None) -> None:
    """Open a report on the desk from its queue row, or (staff, whose queue comes 25 a page with
    the demo's overdue reports first) through *Find a report* by its tracking code."""
    page.goto(f"{base}/triage?lang=zh")
    wait_idle(page)
    if code is None:
        rerun_by(page, page.locator(f".st-key-open{rid} button").click)  # keyed widgets have class st-key-<key>
    else:
        page.get_by_text("查找问题上报").click()
        found = page.locator(f".st-key-find{rid} button")
        for _ in range(3):  # a search typed while the page was still rerunning can be lost: type it again
            page.get_by_label("追踪码").fill(code.lower())
            page.get_by_role("button", name="查找").click()
            try:
                found.wait_for(timeout=20_000)
                break
            except PlaywrightTimeout:
                continue
        rerun_by(page, found.click)
    page.locator(f".st-key-action{rid}").wait_for(timeout=30_000)


def desk_act(page, rid: int, action: str, note: str = "", photo=None, unit: str | None = None,
             public: bool | None = None) -> None:
    """Choose an action for the open report, fill in the fields it shows, and submit it."""
    from qingxi.core import i18n

    key = next(k.removeprefix("triage.do.") for k, v in i18n.catalog("zh").items() if k.startswith("triage.do.") and v == action)
    choose(page, page.locator(f".st-key-action{rid}").get_by_test_id("stSelectbox"), action)
    form = page.locator(f".st-key-act{rid}-{key}").get_by_test_id("stForm")  # the form of this action
    form.wait_for(timeout=30_000)
    if unit:
        choose(page, form.get_by_test_id("stSelectbox").first, unit, in_form=True)
    if note:
        form.get_by_label("说明 / 回复内容").fill(note)
    if public is not None:
        box = form.get_by_role("checkbox", name="回复对上报人公开")
        if box.is_checked() != public:
            form.get_by_text("回复对上报人公开").click()  # the label, as a person taps it
            page.wait_for_function("b => b.checked === %s" % str(public).lower(), arg=box.element_handle())
    if photo:
        form.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(photo))
        form.get_by_test_id("stFileChip").wait_for()  # (long names are shown shortened)
    rerun_by(page, form.get_by_role("button", name="确定").click)
    page.get_by_text("已办理。").wait_for(timeout=30_000)
