"""Browser tests: Debian's Chromium driven by playwright against `streamlit run` on localhost."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.browser import Chromium
from tests.support.servers import ARGS, CHROMIUM, Server, require


@pytest.fixture(scope="session")
def chromium():
    require(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield Chromium(browser)
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
