"""The notifications page: staff see what was sent and resend a failed message; admins manage the
channels (add, test, pause, remove) and never see a URL back; others are refused."""
from __future__ import annotations

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.engine import engine_for, session_scope
from db.models import NotifyChannel
from qingxi import notify
from qingxi.core import outbox
from qingxi.core.settings import current
from qingxi.notify import worker
from tests.support.dingtalk import SECRET, TOKEN, robots


def _alone() -> None:
    from pages import notify as page

    page.render()


def page() -> AppTest:
    return AppTest.from_function(_alone, default_timeout=30).run()


def engine():
    return engine_for(current().database_url)


def submit(at: AppTest, form: str, label: str) -> AppTest:
    return at.button(key=f"FormSubmitter:{form}-{label}").click().run()


def texts(at: AppTest) -> str:
    return " ".join(x.value for x in [*at.text, *at.caption, *at.success, *at.error, *at.info, *at.markdown])


def test_only_staff_see_notifications_and_only_admins_the_channels(sign_in_as, monkeypatch):
    monkeypatch.setenv("QINGXI_NOTIFY_KEY", "page test key")
    current.cache_clear()
    at = page()
    assert at.error and not at.dataframe
    sign_in_as("deputy")
    assert page().error
    sign_in_as("staff")
    at = page()
    assert not at.error and at.info[0].value == "还没有发出的通知。" and "通知渠道" not in texts(at)


def test_an_admin_adds_a_channel_tests_it_and_sees_only_a_hint(sign_in_as, monkeypatch):
    monkeypatch.setenv("QINGXI_NOTIFY_KEY", "page test key")
    current.cache_clear()
    sign_in_as("admin")
    with robots(1) as (robot,):
        at = page()
        at.text_input(key="notify_name").input("沙柳值班群")
        at.text_input(key="notify_url").input(robot.url())
        at.multiselect(key="notify_events").select("report.urgent")
        at = submit(at, "notify_add", "添加渠道")
        assert at.success[0].value == "渠道已添加。" and not at.exception
        shown = texts(at)
        assert "沙柳值班群 · dingtalk://SEC0…" in shown and TOKEN not in shown and SECRET not in shown
        with session_scope(engine()) as s:
            cid = s.scalar(select(NotifyChannel.id))
        at = at.button(key=f"notify_test_{cid}").click().run()
        assert at.success[0].value == "测试消息已发送。" and len(robot.messages) == 1
        robot.mode = "fail"
        at = at.button(key=f"notify_test_{cid}").click().run()
        assert "HTTP 500" in at.error[0].value
        at = at.button(key=f"notify_pause_{cid}").click().run()
        assert "已暂停" in texts(at)
        at = at.button(key=f"notify_remove_{cid}").click().run()
        assert at.success[0].value == "渠道已删除。" and "沙柳值班群" not in texts(at)


def test_a_bad_address_is_refused_in_words(sign_in_as, monkeypatch):
    monkeypatch.setenv("QINGXI_NOTIFY_KEY", "page test key")
    current.cache_clear()
    sign_in_as("admin")
    at = page()
    at.text_input(key="notify_name").input("x")
    at.text_input(key="notify_url").input("nonsense://nowhere")
    at.multiselect(key="notify_events").select("report.new")
    at = submit(at, "notify_add", "添加渠道")
    assert at.error[0].value == "无法识别这个通知地址（apprise URL）。"


def test_staff_see_a_failure_and_resend_it(sign_in_as, monkeypatch):
    monkeypatch.setenv("QINGXI_NOTIFY_KEY", "page test key")
    current.cache_clear()
    sign_in_as("staff")
    with robots(1) as (robot,):
        robot.mode = "fail"
        notify.add(engine(), None, "duty", robot.url(), "cleanup.cancelled")
        with session_scope(engine()) as s:
            outbox.emit(s, "cleanup.cancelled", {"cleanup_id": 1, "title": "清溪清理日"})
        worker.run_once(engine(), max_attempts=1)
        at = page()
        assert "已放弃" in at.dataframe[0].value.to_string() and "HTTP 500" in at.dataframe[0].value.to_string()
        at = submit(at, "notify_resend", "重发")
        assert at.success[0].value == "已重新排队，稍后由发送程序送出。"
        robot.mode = "ok"
        worker.run_once(engine())
        assert len(robot.messages) == 1
        at = page()
        assert "已发送" in at.dataframe[0].value.to_string()


def _report_form():
    from tests.pages.conftest import open_app, open_page

    return open_page(open_app("zh"), "report")


def test_the_report_form_offers_to_hear_back_only_when_messages_can_reach_people(app_env, monkeypatch):
    from db import migrate
    from db.models import Report
    from tests.support.photo_samples import gps_ifd, jpeg

    monkeypatch.setenv("QINGXI_NOTIFY_KEY", "page test key")
    current.cache_clear()
    at = _report_form()
    at.text_input(key="phone0").input("13912345678").run()
    assert not [c for c in at.checkbox if c.key == "hear0"]  # no channel for people: not offered
    migrate.upgrade(engine())
    notify.add(engine(), None, "sms-volunteers", "dingtalk://secret1@token1/{to}/", "cleanup.promoted", person=True)
    notify.add(engine(), None, "mail", "mailto://127.0.0.1:2525?from=a@qingxi.example&to={to}", "report.update",
               person=True)
    at = _report_form()
    at.text_input(key="phone0").input("13912345678").run()
    assert not [c for c in at.checkbox if c.key == "hear0"]  # no text message channel takes report updates
    notify.add(engine(), None, "sms", "dingtalk://secret1@token1/{to}/", "report.update", person=True)
    at = _report_form()
    at.file_uploader[0].upload("river.jpg", jpeg((640, 480), gps=gps_ifd(121.398, 29.1492)), "image/jpeg").run()
    at.button(key="cat_bank_litter0").click().run()
    at.text_input(key="phone0").input("13912345678").run()
    hear = next(c for c in at.checkbox if c.key == "hear0")
    assert hear.label == "有进展时发短信告诉我"
    hear.check().run()
    at = next(b for b in at.button if b.label == "提交上报").click().run()
    assert not at.exception
    with session_scope(engine()) as s:
        [report] = s.scalars(select(Report)).all()
        assert report.hear_back and report.reporter_phone == "13912345678"
