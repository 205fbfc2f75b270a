"""The dashboard page alone: the public and handlers are refused by the page itself; staff and
deputies see it in Chinese and English, and its metrics are the service's."""
import pytest
from streamlit.testing.v1 import AppTest

from db.engine import engine_for, session_scope
from db.models import utcnow
from qingxi.core import i18n
from qingxi.core.settings import current
from qingxi.reports import dashboard


def _dashboard_alone() -> None:
    from pages import dashboard as page

    page.render()


def open_dashboard(lang: str = "zh") -> AppTest:
    at = AppTest.from_function(_dashboard_alone, default_timeout=30)
    at.session_state["lang"] = lang
    return at.run()


def test_the_public_and_handlers_are_refused(file_report, sign_in_as):
    file_report()
    assert [e.value for e in open_dashboard().error] == ["你没有权限查看总览。"]
    sign_in_as("handler")
    at = open_dashboard("en")
    assert [e.value for e in at.error] == ["You do not have permission to see the overview."]
    assert not at.metric


@pytest.mark.parametrize("role, lang, open_label, title", [
    ("staff", "zh", "待办问题", "一屏统揽 · 清溪问题总览"),
    ("deputy", "zh", "待办问题", "一屏统揽 · 清溪问题总览"),
    ("staff", "en", "Open reports", "Overview · the Qingxi at a glance"),
    ("deputy", "en", "Open reports", "Overview · the Qingxi at a glance"),
])
def test_staff_and_deputies_see_the_service_figures(file_report, sign_in_as, role, lang, open_label, title):
    file_report()
    file_report(category="sewage")
    sign_in_as(role)
    at = open_dashboard(lang)
    assert not at.exception and not at.error and at.title[0].value == title
    with session_scope(engine_for(current().database_url)) as s:
        o = dashboard.overview(s, utcnow(), current().timezone)
    assert o.open_total == 2 and o.week.new == 2
    metrics = [(m.label, m.value) for m in at.metric]
    assert metrics[0] == (open_label, "2")
    assert [v for _, v in metrics[:8]] == [str(n) for n in (o.open_total, o.overdue_total, o.week.new, o.week.fixed,
                                                            o.week.closed, o.month.new, o.month.fixed, o.month.closed)]
    # how fast the people on duty heard of a report (nothing sent yet): for staff, who see notifications
    alerts = [i18n.t(f"notify.page.{k}", lang) for k in ("alerted", "alert_median", "alert_p95")]
    assert metrics[8:] == (list(zip(alerts, ["0", "—", "—"])) if role == "staff" else [])
    assert len(at.get("vega_lite_chart")) >= 4  # state, village, category, river (no ratings yet)
