"""Issue 14 on the pages: code guesses on /track and /cleanup-signup are limited (a found code does
not count), a refused person reads why in their language; a party too big for the seats left may
wait anyway; an odd ?id= is a calm notice, never an exception."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from db.engine import engine_for, session_scope
from db.models import Cleanup, Signup
from qingxi import cleanups as cu
from qingxi.core.settings import current
from tests.pages.conftest import open_app, open_page


def db():
    return engine_for(current().database_url)


def errors(at) -> list[str]:
    return [e.value for e in at.error]


def guess(at, key: str, code: str):
    at.text_input(key=key).input(code)
    return at.run()


@pytest.mark.parametrize("lang, too_many", [("zh", "操作太频繁了"), ("en", "Too many attempts")])
def test_wrong_tracking_codes_are_limited_and_found_ones_do_not_count(file_report, lang, too_many):
    real, other = file_report(), file_report()
    at = open_page(open_app(lang), "track")
    for _ in range(12):  # looking at one's own report again and again is not guessing
        at = guess(at, "track_code", "")
        at = guess(at, "track_code", real)
        assert not at.exception and not errors(at)
    for n in range(10):
        at = guess(at, "track_code", f"ZZZZ{n:02d}")
        assert not at.exception and len(errors(at)) == 1 and too_many not in errors(at)[0]
    at = guess(at, "track_code", "ZZZZ09")  # the same wrong code shown again is not another guess
    assert too_many not in errors(at)[0]
    at = guess(at, "track_code", "ZZZZ10")
    assert not at.exception and too_many in errors(at)[0]
    at = guess(at, "track_code", other)  # over the limit: no lookup at all, not even of a right code
    assert too_many in errors(at)[0] and not at.header
    at = guess(at, "track_code", real)  # a code this browser already opened still opens
    assert not errors(at) and at.header


def test_wrong_sign_up_codes_are_limited_too(demo_db):
    at = open_page(open_app(), "cleanup-signup")
    for n in range(10):
        at = guess(at, "signup_code", f"QQQQ{n:02d}")
        assert not at.exception and "操作太频繁了" not in errors(at)[0]
    at = guess(at, "signup_code", "QQQQ10")
    assert not at.exception and "操作太频繁了" in errors(at)[0]


def test_a_party_too_big_is_told_the_seats_left_and_may_wait_anyway(demo_db):
    ev = next(e for e in cu.events(db(), None) if "世界环境日" in e.title)
    with session_scope(db()) as s:  # two public seats left
        row = s.get(Cleanup, ev.id)
        row.capacity = row.reserved + row.seats_taken + 2
    at = open_app()
    at.query_params["id"] = str(ev.id)
    at = open_page(at, "cleanups")
    at.text_input(key="su_name").input("林家")
    at.text_input(key="su_phone").input("13812345678")
    at.number_input(key="su_companions").set_value(3)
    at = at.button(key=f"FormSubmitter:signup{ev.id}-提交报名").click().run()
    assert not at.exception
    assert any("只剩 2 个名额了，你们一共 4 位" in w.value for w in at.warning)
    with session_scope(db()) as s:
        assert s.scalar(select(Signup).where(Signup.phone == "13812345678")) is None  # nothing stored yet
    at = at.button(key=f"wait_anyway{ev.id}").click().run()
    assert not at.exception
    assert any("候补名单第 1 位" in w.value for w in at.warning)
    with session_scope(db()) as s:
        assert s.scalar(select(Signup.status).where(Signup.phone == "13812345678")) == "waitlisted"
    assert cu.summary(db(), ev.id).state == "published"  # the day stays open to people who fit


@pytest.mark.parametrize("raw", ["99999999999999999999999", "2147483648", "²", "-1", "0", "abc", "1e9"])
@pytest.mark.parametrize("page, notice", [
    ("cleanups", "没有找到这次清理活动"), ("proposal", "找不到这件建议"), ("meetings", "没有找到这个接待日")])
def test_an_odd_id_is_a_calm_notice(demo_db, page, notice, raw):
    at = open_app()
    at.query_params["id"] = raw
    at = open_page(at, page)
    assert not at.exception
    assert len(errors(at)) == 1 and notice in errors(at)[0] and "编号" not in errors(at)[0]


def _dashboard_alone() -> None:
    from pages import dashboard

    dashboard.render()


def test_staff_see_the_refusals_masked_and_deputies_do_not(file_report, sign_in_as):
    from streamlit.testing.v1 import AppTest

    from qingxi.core import limits

    file_report()
    who = limits.Person(address="36.22.10.7", session="tab")
    for _ in range(11):  # the eleventh wrong code from one browser is refused
        try:
            with limits.spending(db(), "code.miss", who):
                pass
        except limits.LimitError:
            pass
    sign_in_as("staff")
    at = AppTest.from_function(_dashboard_alone, default_timeout=30).run()
    assert not at.exception
    [box] = [e for e in at.expander if "被限制的匿名操作" in e.label]
    assert "1 次" in box.label
    table = at.dataframe[-1].value
    assert list(table.iloc[0])[1:] == ["查码输错", "—"]  # the browser session's limit said no: no mark shown
    assert "36.22.10.7" not in table.to_string()


def test_deputies_do_not_see_the_refusals(file_report, sign_in_as):
    from streamlit.testing.v1 import AppTest

    file_report()
    sign_in_as("deputy")
    at = AppTest.from_function(_dashboard_alone, default_timeout=30).run()
    assert not at.exception and not [e for e in at.expander if "被限制的匿名操作" in e.label]
