"""A villager on a phone asks the assistant: the next clean-up day with its seats, then "转人工";
a staff member replies and the villager reads it by the conversation code. The same answers come
from POST /assistant/ask on the running server. In Chromium against `streamlit run`."""
from datetime import timedelta

import httpx
import pytest

from db.engine import engine_for, session_scope
from db.models import utcnow
from qingxi import accounts, assistant
from qingxi import cleanups as cu
from tests.support.browser import dismiss_first_start_notice, rerun_by, wait_idle

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def ask(page, question: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    rerun_by(page, lambda: box.press("Enter"))


def test_a_villager_asks_on_a_phone_and_a_person_answers(chromium, fresh_server):
    engine = engine_for(fresh_server.env["DATABASE_URL"])
    with session_scope(engine) as s:
        staff = accounts.create_user(s, "e2e-staff", "梅站长", "staff", "password-1")
    start = utcnow().replace(microsecond=0) + timedelta(days=3)
    cid = cu.create(engine, staff, cu.Plan(title="清溪问答清理日", starts_at=start, ends_at=start + timedelta(hours=2),
                                           km_from=1.0, km_to=1.5, capacity=12, meeting_km=1.0))
    cu.publish(engine, staff, cid)

    page = chromium.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(f"{fresh_server.url}/assistant")
    wait_idle(page)
    dismiss_first_start_notice(page)
    page.get_by_role("heading", name="问答助手").wait_for(timeout=90_000)  # a fresh server's first visit
    ask(page, "下次清理什么时候")
    page.get_by_text("清溪问答清理日，还剩 12 个名额").wait_for(timeout=30_000)
    ask(page, "转人工")
    line = page.get_by_text("对话码：").last
    line.wait_for(timeout=30_000)
    code = line.inner_text().split("对话码：")[1][:8]
    assert page.get_by_test_id("stException").count() == 0

    [conv] = assistant.inbox(engine, staff)
    assistant.reply(engine, staff, conv.id, "您好，我是联络站小梅，请说说是什么事。")
    ask(page, code)
    page.get_by_text("工作人员回复：您好，我是联络站小梅，请说说是什么事。").wait_for(timeout=30_000)

    api = httpx.post(f"{fresh_server.url}/assistant/ask", json={"question": "下次清理什么时候", "lang": "zh"}, timeout=30)
    assert api.status_code == 200 and "还剩 12 个名额" in api.json()["answer"]
