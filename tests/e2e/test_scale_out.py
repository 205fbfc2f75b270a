"""Two app processes on one PostgreSQL and one photo folder, behind the example nginx config:
reports, photos, sign-in and clean-up capacity hold across both."""
from __future__ import annotations

import subprocess
import urllib.request
from datetime import timedelta

import pytest

from db.engine import make_engine, session_scope
from db.models import utcnow
from qingxi import accounts, cleanups
from qingxi.core.i18n import t
from tests.support.browser import dismiss_first_start_notice, file_report, sign_in, track, wait_idle
from tests.support.photo_samples import gps_ifd, jpeg
from tests.support.servers import Proxy, Server, drop_schema, pg_schema_url, require

pytestmark = pytest.mark.e2e


def test_the_example_nginx_config_is_valid(tmp_path):
    require(Proxy.NGINX.exists(), f"nginx at {Proxy.NGINX} (apt-get install nginx)")
    checked = subprocess.run(Proxy.command(Proxy.CONF, tmp_path, "-t"), capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


@pytest.fixture
def pair(tmp_path):
    schema, url = pg_schema_url()
    shared = {"DATABASE_URL": url, "QINGXI_PHOTO_DIR": str(tmp_path / "photos")}
    servers = []
    try:
        for name, demo in (("a", True), ("b", False)):
            (tmp_path / name).mkdir()
            servers.append(Server(tmp_path / name, demo=demo, **shared))
        yield servers
    finally:
        for srv in servers:
            srv.stop()
        drop_schema(schema)


@pytest.fixture
def proxy(pair, tmp_path):
    """The shipped config, pointed at this test's two ports."""
    nginx = Proxy(tmp_path, [srv.port for srv in pair])
    yield nginx.url
    nginx.stop()


def test_two_processes_share_reports_photos_and_sign_in(chromium, pair, proxy, tmp_path):
    a, b = pair
    photo = tmp_path / "river.jpg"
    photo.write_bytes(jpeg((1000, 750), gps=gps_ifd(121.398, 29.1492)))
    page = chromium.new_page(locale="zh-CN")

    code = file_report(page, a.url, photo)
    track(page, b.url, code)  # filed on one process, seen at once on the other
    page.get_by_role("heading", name="已收到，等待工作人员查看").wait_for(timeout=30_000)
    photo = page.get_by_test_id("stImage").locator("img").first  # read from the shared folder by B
    photo.wait_for(timeout=30_000)
    assert photo.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0

    track(page, proxy, code)  # and through the proxy, websockets and all
    page.get_by_role("heading", name="已收到，等待工作人员查看").wait_for(timeout=30_000)
    with urllib.request.urlopen(proxy + "/", timeout=30) as resp:  # the proxy adds HSTS to the portal's own
        assert resp.headers.get_all("Strict-Transport-Security") == ["max-age=31536000"]
        assert resp.headers.get_all("Content-Security-Policy") == ["frame-ancestors 'self'; object-src 'none'; base-uri 'self'"]

    sign_in(page, a.url, "demo-staff", a.demo_password("demo-staff"))  # the cookie from one process ...
    page.goto(f"{b.url}/triage?lang=zh")  # ... is good on the other
    wait_idle(page)
    page.get_by_test_id("stSidebar").get_by_text("已登录").wait_for(timeout=30_000)
    page.get_by_role("heading", name=t("triage.title", "zh")).wait_for(timeout=30_000)  # staff-only
    page.close()


def test_sign_up_capacity_holds_across_both_processes(chromium, pair):
    """Four people press 提交报名 at once for a two-seat day, two on each process: two seats taken,
    two on the waitlist, never three."""
    a, b = pair
    engine = make_engine(a.env["DATABASE_URL"])
    with session_scope(engine) as s:
        staff = accounts.create_user(s, "scale-staff", "梅站长", "staff", "password-1")
    start = utcnow() + timedelta(days=3)
    day = cleanups.create(engine, staff, cleanups.Plan(
        title="两个名额的清理日", starts_at=start, ends_at=start + timedelta(hours=2), km_from=1.0, km_to=1.5,
        capacity=2, meeting_km=1.0))
    cleanups.publish(engine, staff, day)

    pages = []
    for n, srv in enumerate((a, b, a, b)):
        page = chromium.new_page(locale="zh-CN")
        page.goto(f"{srv.url}/cleanups?id={day}&lang=zh")
        wait_idle(page)
        dismiss_first_start_notice(page)
        page.get_by_role("textbox", name="姓名").fill(f"志愿者{n}")
        page.get_by_role("textbox", name="手机号码").fill(f"1381234567{n}")
        pages.append(page)
    for page in pages:  # all four sent before any answer is read
        page.get_by_role("button", name="提交报名").click()
    answers = []
    for page in pages:
        page.locator(".qx-code").wait_for(timeout=60_000)
        answers.append("seated" if page.get_by_text("报名成功，名额已为您保留。").count() else "waitlisted")
        page.close()
    assert sorted(answers) == ["seated", "seated", "waitlisted", "waitlisted"]
    event = cleanups.event(engine, staff, day)
    assert event.seats_taken == 2
    engine.dispose()
