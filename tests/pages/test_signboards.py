"""QR signboards: one printable sheet per village and per river-km post."""
import re

import pytest
from streamlit.testing.v1 import AppTest

from qingxi.core import settings
from tests.pages.conftest import menu, open_app, open_page


@pytest.mark.parametrize("lang, heading", [("zh", "二维码标牌"), ("en", "QR signboards")])
def test_sheets_for_riverside_villages_and_km_posts(sign_in_as, lang, heading):
    sign_in_as("staff")
    at = open_page(open_app(lang), "signs")
    assert not at.exception and at.title[0].value == heading
    villages = at.multiselect[0].value
    assert len(villages) == 11  # the riverside flag is data: 4 confirmed + 7 likely in the reference set
    posts = 9  # km 0 … 8 along the 8.3 km reach
    assert len(at.image) == len(villages) + posts


def test_printable_sheet_links_open_the_form_on_that_place(sign_in_as, monkeypatch):
    sign_in_as("staff")
    monkeypatch.setenv("QINGXI_PUBLIC_URL", "https://qingxi.example.cn")
    settings.current.cache_clear()
    at = open_page(open_app("zh"), "signs")
    at.multiselect[0].set_value(["331022003302"]).run()
    at.toggle[0].set_value(False).run()
    assert len(at.image) == 1
    from db.engine import engine_for, session_scope
    from qingxi.reports import signs

    with session_scope(engine_for(settings.current().database_url)) as s:
        sheets = signs.sheets(s, "zh", ["331022003302"], 1.0)
    assert sheets[0].title == "流源村"
    assert sheets[0].url == "https://qingxi.example.cn/report?village=331022003302&lang=zh"
    assert sheets[1].url == "https://qingxi.example.cn/report?km=0&lang=zh"
    doc = signs.printable(sheets, "zh")
    assert doc.count("<section>") == len(sheets) == 10
    assert len(re.findall(r"<svg", doc)) == 10 and "流源村" in doc


def test_nothing_chosen_says_so(sign_in_as):
    sign_in_as("admin")
    at = open_page(open_app("en"), "signs")
    at.multiselect[0].set_value([]).run()
    at.toggle[0].set_value(False).run()
    assert at.info[0].value == "No place chosen."


def test_signboards_are_for_staff_only(sign_in_as):
    at = open_app("zh")
    assert "signs" not in menu(at)
    sign_in_as("deputy")
    at = open_app("zh")
    assert "signs" not in menu(at)


def _signboards_alone() -> None:
    from pages import signs

    signs.render()


def test_the_page_itself_refuses_the_public(app_env):
    at = AppTest.from_function(_signboards_alone, default_timeout=30).run()
    assert at.error[0].value == "这一页只对工作人员开放，请先登录。" and not at.image
