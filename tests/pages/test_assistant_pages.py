"""The assistant's pages through AppTest: the chat answers at once in the person's language, a
code gets the report's state, "转人工" opens a conversation whose staff reply comes back by its
code; the staff inbox (reply, weekly counts, FAQ candidates) is for staff and handlers only."""
from __future__ import annotations

from tests.pages.conftest import menu, open_app, open_page


def ask(at, question: str):
    at.chat_input[0].set_value(question).run()
    return [e.value for e in at.text]


def test_the_chat_answers_from_the_faq(app_env):
    from qingxi.ops.cli import setup

    setup(load_demo=False)
    at = open_page(open_app(), "assistant")
    assert not at.exception
    said = ask(at, "我的电话会公开吗")
    assert "我的电话会公开吗" in said
    assert any("不会公开" in s for s in said)
    assert len(at.get("feedback")) >= 1 or at.get("button_group")


def test_the_chat_in_english_and_a_report_by_code(file_report):
    code = file_report()
    at = open_page(open_app(lang="en"), "assistant")
    said = ask(at, f"what happened to my report {code}")
    assert any("Received, waiting for staff" in s for s in said)
    said = ask(at, "what happened to my report Q2W3E4")
    assert any("No report has the tracking code Q2W3E4" in s for s in said)


def test_typed_markup_stays_plain_text(app_env):
    from qingxi.ops.cli import setup

    setup(load_demo=False)
    at = open_page(open_app(), "assistant")
    said = ask(at, "<b>转人工</b> **粗体**")
    assert "<b>转人工</b> **粗体**" in said
    assert not any("<b>" in m.value for m in at.markdown)


def test_hand_over_staff_reply_and_the_villager_reads_it(sign_in_as, monkeypatch):
    import ui

    at = open_page(open_app(), "assistant")
    said = ask(at, "转人工")
    line = next(s for s in said if "对话码" in s)
    code = line.split("对话码：")[1][:8]
    sign_in_as("staff")
    staff = open_page(open_app(), "assistant-inbox")
    assert not staff.exception
    assert "转人工" in [e.value for e in staff.text]
    staff.text_area[0].set_value("您好，请问是哪个村的问题？").run()
    staff.button[0].click().run()
    assert any("回复已发送" in s.value for s in staff.success)
    monkeypatch.setattr(ui, "session_token", lambda: None)
    villager = open_page(open_app(), "assistant")
    said = ask(villager, code)
    assert any("您好，请问是哪个村的问题？" in s for s in said)


def test_the_inbox_is_for_staff_and_handlers_only(sign_in_as):
    from streamlit.testing.v1 import AppTest

    def inbox():
        from pages import assistant_inbox

        assistant_inbox.render()

    direct = AppTest.from_function(inbox, default_timeout=60).run()  # a deep link past the menu
    assert [e.value for e in direct.error] == ["这一页只对工作人员开放，请先登录。"] and not direct.title
    public = open_app()
    assert "assistant-inbox" not in menu(public)
    sign_in_as("deputy")
    deputy = open_app()
    assert "assistant-inbox" not in menu(deputy)


def test_handlers_see_the_inbox_but_not_the_faq_tools(sign_in_as):
    sign_in_as("handler")
    at = open_page(open_app(), "assistant-inbox")
    assert not at.exception
    headers = [s.value for s in at.subheader]
    assert "每周统计" in headers and not any("同义词" in h for h in headers)


def test_staff_edit_an_faq_answer_and_the_chat_says_the_new_one(sign_in_as, monkeypatch):
    import ui

    sign_in_as("staff")
    at = open_page(open_app(), "assistant-inbox")
    assert not at.exception
    pick = at.selectbox(key="assistant_faq_pick")
    entry = next(o for o in pick.options if "privacy.phone · zh" in o)
    pick.set_value(pick.options.index(entry) - 1).run()  # option 0 is "new entry" (None)
    answer = next(a for a in at.text_area if a.label == "回答" and "不会公开" in a.value)
    answer.set_value("不会公开。电话只给工作人员回访用。")  # a form sends its fields on submit
    next(b for b in at.button if b.label == "保存条目").click().run()
    assert any("条目已保存" in s.value for s in at.success)
    monkeypatch.setattr(ui, "session_token", lambda: None)
    said = ask(open_page(open_app(), "assistant"), "我的电话会公开吗")
    assert "不会公开。电话只给工作人员回访用。" in said
