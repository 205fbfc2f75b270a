"""Two app processes on one PostgreSQL and one photo folder, behind the example nginx config."""
from __future__ import annotations

import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import make_engine, session_scope
from db.models import Report
from tests.conftest import _drop_schema, _pg_schema_url, require
from tests.e2e.conftest import ROOT, Server, _free_port, file_report, sign_in, track, wait_idle
from tests.unit.photo_samples import gps_ifd, jpeg

pytestmark = pytest.mark.e2e
NGINX = Path("/usr/sbin/nginx")
CONF = ROOT / "deploy" / "nginx.conf"


def _nginx(conf: Path, folder: Path, *args: str) -> list[str]:
    require(NGINX.exists(), f"nginx at {NGINX} (apt-get install nginx)")
    return [str(NGINX), "-c", str(conf), "-p", str(folder), "-e", str(folder / "error.log"),
            "-g", f"pid {folder / 'nginx.pid'};" + (" daemon off;" if not args else ""), *args]


def test_the_example_nginx_config_is_valid(tmp_path):
    checked = subprocess.run(_nginx(CONF, tmp_path, "-t"), capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


@pytest.fixture
def pair(tmp_path):
    schema, url = _pg_schema_url()
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
        _drop_schema(schema)


@pytest.fixture
def proxy(pair, tmp_path):
    """The shipped config, pointed at this test's two ports."""
    a, b = pair
    port = _free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(CONF.read_text().replace("127.0.0.1:8501", f"127.0.0.1:{a.port}")
                    .replace("127.0.0.1:8502", f"127.0.0.1:{b.port}")
                    .replace("listen 8080;", f"listen 127.0.0.1:{port};"))
    proc = subprocess.Popen(_nginx(conf, tmp_path), stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                    assert resp.status == 200
                    break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "nginx did not answer"
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def test_two_processes_share_reports_photos_and_sign_in(chromium, pair, proxy, tmp_path):
    a, b = pair
    photo = tmp_path / "river.jpg"
    photo.write_bytes(jpeg((1000, 750), gps=gps_ifd(121.398, 29.1492)))
    page = chromium.new_page(locale="zh-CN")

    code = file_report(page, a.url, photo)
    track(page, b.url, code)  # filed on one process, seen at once on the other
    page.get_by_role("heading", name="待签收").wait_for(timeout=30_000)
    photo = page.get_by_test_id("stImage").locator("img").first  # read from the shared folder by B
    photo.wait_for(timeout=30_000)
    assert photo.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0

    track(page, proxy, code)  # and through the proxy, websockets and all
    page.get_by_role("heading", name="待签收").wait_for(timeout=30_000)

    sign_in(page, a.url, "demo-staff", "qingxi-demo")  # the cookie from one process ...
    page.goto(f"{b.url}/triage?lang=zh")  # ... is good on the other
    wait_idle(page)
    page.get_by_test_id("stSidebar").get_by_text("已登录").wait_for(timeout=30_000)
    engine = make_engine(a.env["DATABASE_URL"])
    with session_scope(engine) as s:
        report_id = s.scalars(select(Report.id).where(Report.code == code)).one()
    engine.dispose()
    page.locator(f".st-key-open{report_id} button").click()
    page.get_by_role("heading", name=code).wait_for(timeout=30_000)
    page.close()
