"""Browser tests: Debian's Chromium driven by playwright against `streamlit run` on localhost."""
from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("QINGXI_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m qingxi setup` then `streamlit run server.py`, as `make run` does, on a temp database."""

    def __init__(self, folder: Path, demo: bool = True, **env: str):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'e2e.db'}",
                    "QINGXI_PHOTO_DIR": str(folder / "photos")}
        self.env.pop("QINGXI_TILE_URL", None)
        self.env.update(env)
        subprocess.run([sys.executable, "-m", "qingxi", "setup", "--demo" if demo else "--no-demo"],
                       cwd=ROOT, env=self.env, check=True, capture_output=True)
        self.log = (folder / "streamlit.log").open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "server.py", f"--server.port={self.port}",
             "--server.address=127.0.0.1", "--server.headless=true", "--server.fileWatcherType=none",
             "--browser.gatherUsageStats=false"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("streamlit exited; see its log")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError("streamlit did not become healthy")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class Proxy:
    """nginx with the shipped deploy/nginx.conf, pointed at the given app servers' ports."""

    NGINX = Path("/usr/sbin/nginx")
    CONF = ROOT / "deploy" / "nginx.conf"

    def __init__(self, folder: Path, ports: list[int]):
        require(self.NGINX.exists(), f"nginx at {self.NGINX} (apt-get install nginx)")
        port = _free_port()
        text = self.CONF.read_text().replace("listen 8080;", f"listen 127.0.0.1:{port};")
        shipped = ["server 127.0.0.1:8501 max_fails=3 fail_timeout=10s;",
                   "server 127.0.0.1:8502 max_fails=3 fail_timeout=10s;"]
        ours = "\n        ".join(f"server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in ports)
        assert shipped[0] + "\n        " + shipped[1] in text, "deploy/nginx.conf no longer lists 8501 and 8502 so"
        text = text.replace(shipped[0] + "\n        " + shipped[1], ours)
        (folder / "nginx.conf").write_text(text)
        self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(self.command(folder / "nginx.conf", folder), stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(self.proc.stderr.read().decode()) from None
                if time.monotonic() > deadline:
                    raise TimeoutError("nginx did not answer") from None
                time.sleep(0.2)

    @classmethod
    def command(cls, conf: Path, folder: Path, *args: str) -> list[str]:
        """nginx on `conf` with its pid and error log in `folder`; in the foreground unless args."""
        return [str(cls.NGINX), "-c", str(conf), "-p", str(folder), "-e", str(folder / "error.log"),
                "-g", f"pid {folder / 'nginx.pid'};" + ("" if args else " daemon off;"), *args]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture(scope="session")
def chromium():
    require(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("server"))
    yield srv
    srv.stop()


@pytest.fixture
def fresh_server(tmp_path):
    srv = Server(tmp_path, demo=False)
    yield srv
    srv.stop()


@pytest.fixture
def demo_server(tmp_path):
    """A server of its own with the demo data, for a test that changes it."""
    srv = Server(tmp_path, demo=True)
    yield srv
    srv.stop()


def wait_idle(page, timeout: float = 30_000) -> None:
    """Streamlit has finished the script run and painted its elements."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)
    page.wait_for_timeout(300)


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


def choose(page, box, option: str) -> None:
    """Open a select box and pick an option (a click that lands during a rerun is lost: retry)."""
    for _ in range(5):
        box.click()
        choice = page.get_by_role("option", name=option, exact=True)
        try:
            choice.wait_for(timeout=3000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        choice.click()
        return
    raise AssertionError(f"no option {option!r}")


def open_on_desk(page, base: str, rid: int, code: str | None = None) -> None:
    """Open a report on the desk from its queue row, or (staff, whose queue comes 25 a page with
    the demo's overdue reports first) through *Find a report* by its tracking code."""
    page.goto(f"{base}/triage?lang=zh")
    wait_idle(page)
    if code is None:
        page.locator(f".st-key-open{rid} button").click()  # Streamlit tags keyed widgets with st-key-<key>
    else:
        page.get_by_text("查找问题上报").click()
        found = page.locator(f".st-key-find{rid} button")
        for _ in range(3):  # a search typed while the page was still rerunning can be lost: type it again
            page.get_by_label("跟踪码").fill(code.lower())
            page.get_by_role("button", name="查找").click()
            try:
                found.wait_for(timeout=20_000)
                break
            except PlaywrightTimeout:
                continue
        found.click()
    wait_idle(page)
    page.locator(f".st-key-action{rid}").wait_for(timeout=30_000)


def desk_act(page, rid: int, action: str, note: str = "", photo=None, unit: str | None = None,
             public: bool | None = None) -> None:
    """Choose an action for the open report, fill in the fields it shows, and submit it."""
    from qingxi.core import i18n

    key = next(k.removeprefix("desk.do.") for k, v in i18n.catalog("zh").items() if k.startswith("desk.do.") and v == action)
    choose(page, page.locator(f".st-key-action{rid}").get_by_test_id("stSelectbox"), action)
    form = page.locator(f".st-key-act{rid}-{key}").get_by_test_id("stForm")  # the form of this action
    form.wait_for(timeout=30_000)
    if unit:
        choose(page, form.get_by_test_id("stSelectbox").first, unit)
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
    form.get_by_role("button", name="确定").click()
    wait_idle(page)
    page.get_by_text("已办理。").wait_for(timeout=30_000)
