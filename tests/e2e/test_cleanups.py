"""A villager on a phone signs up for a clean-up day, gets a code, cancels, and the first person on
the waitlist is promoted — their own page says so. In Chromium against `streamlit run`."""
from datetime import timedelta

import pytest

from db.engine import engine_for, session_scope
from db.models import utcnow
from qingxi import accounts
from qingxi import cleanups as cu
from tests.support.browser import dismiss_first_start_notice, wait_idle

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def one_seat_day(url: str) -> int:
    """A published day with one seat, planned through the domain as staff would."""
    engine = engine_for(url)
    with session_scope(engine) as s:
        staff = accounts.create_user(s, "e2e-staff", "梅站长", "staff", "password-1")
    start = utcnow().replace(microsecond=0) + timedelta(days=3)
    cid = cu.create(engine, staff, cu.Plan(title="清溪一人清理日", starts_at=start, ends_at=start + timedelta(hours=2),
                                           km_from=1.0, km_to=1.5, capacity=1, meeting_km=1.0, equipment=["手套"]))
    cu.publish(engine, staff, cid)
    return cid


def test_a_villager_signs_up_on_a_phone_cancels_and_the_waitlist_moves_up(chromium, fresh_server):
    url = fresh_server.env["DATABASE_URL"]
    cid = one_seat_day(url)
    context = chromium.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{fresh_server.url}/cleanups?id={cid}")
    wait_idle(page)
    dismiss_first_start_notice(page)
    page.get_by_role("heading", name="清溪一人清理日").wait_for(timeout=30_000)
    page.get_by_text("还剩 1 个名额（共 1 人）").first.wait_for()
    page.get_by_role("textbox", name="姓名").fill("林小溪")
    page.get_by_role("textbox", name="手机号码").fill("13812345678")
    page.get_by_role("button", name="提交报名").click()
    page.get_by_text("报名成功，名额已为您保留。").wait_for(timeout=30_000)
    code = page.locator(".qx-code").inner_text().strip()
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_role("img").count() >= 1                       # the QR code

    waiting = cu.sign_up(engine_for(url), cid, "王阿婆", "13912345678")  # someone else, as the full day's page would
    assert (waiting.status, waiting.position) == ("waitlisted", 1)

    page.get_by_role("link", name="我的报名").click()
    wait_idle(page)
    page.get_by_role("button", name="取消报名").click()             # asks first
    page.get_by_text("确定要取消报名吗？").wait_for()
    assert cu.signup_status(engine_for(url), code).status == "seated"
    page.get_by_role("button", name="确定取消报名").click()
    page.get_by_text("已取消报名。").first.wait_for(timeout=30_000)
    wait_idle(page)
    assert cu.signup_status(engine_for(url), code).status == "cancelled"
    assert page.get_by_text("已取消报名。").count() == 1 and page.get_by_text("占 1 个名额").count() == 0

    page.goto(f"{fresh_server.url}/cleanup-signup?code={waiting.code}")
    wait_idle(page)
    page.get_by_text("好消息：您已从候补名单递补成功，名额已为您保留！").wait_for(timeout=30_000)
    assert "13912345678" not in page.content() and "13812345678" not in page.content()
    context.close()
