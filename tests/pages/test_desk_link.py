"""The desk link in a group message (/triage?report=ID) opens that report on the desk, through
app.py as a browser opening the link would."""
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.engine import engine_for, session_scope
from db.models import Report
from qingxi.core import i18n
from qingxi.core.settings import current
from qingxi.notify import messages
from tests.pages.conftest import menu, open_page


def report_id(code: str) -> int:
    with session_scope(engine_for(current().database_url)) as s:
        return s.scalar(select(Report.id).where(Report.code == code))


def follow(link: str) -> AppTest:
    """Open the portal at a message's link: its path picks the page, its query string is kept."""
    path, _, query = link.partition("?")
    at = AppTest.from_file("../support/portal.py", default_timeout=60)
    at.context["locale"] = "zh-CN"
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        at.query_params[key] = value
    return open_page(at.run(), path.rsplit("/", 1)[-1])


def test_the_link_in_a_group_message_opens_that_report_on_the_desk(file_report, sign_in_as):
    first = report_id(file_report(category="sewage"))
    wanted = report_id(file_report(category="bank_litter", name="王五", phone="13700000000"))
    sign_in_as("staff")
    _, body = messages.render("report.new", {"report_id": wanted, "category": "bank_litter", "village": "沙柳村"})
    link = next(word for word in body.split() if "/triage?report=" in word)
    at = follow(link)
    assert not at.exception and not at.error
    assert [h.value for h in at.subheader][:1] == [f"#{wanted} · 岸边垃圾"]  # open, above the queue
    assert any("13700000000" in c.value for c in at.caption)
    # Choosing another report afterwards is not undone by the address still naming the first one.
    at.button(key=f"open{first}").click().run()
    assert [h.value for h in at.subheader][:1] == [f"#{first} · 排污口排水"]


def test_a_made_up_link_is_a_calm_notice(file_report, sign_in_as):
    file_report()
    sign_in_as("staff")
    at = follow("/triage?report=12abc")
    assert not at.exception and [e.value for e in at.error] == ["没有这个问题。"]
    at = follow("/triage?report=99999")
    assert not at.exception and [e.value for e in at.error] == ["你没有权限查看或办理这项工作。"]


def test_the_link_opens_nothing_for_someone_not_on_the_desk(file_report, sign_in_as):
    rid = report_id(file_report(name="王五", phone="13700000000"))
    sign_in_as("deputy")
    at = AppTest.from_file("../support/portal.py", default_timeout=60)
    at.query_params["report"] = str(rid)
    at = at.run()
    assert "triage" not in menu(at)
    assert "13700000000" not in " ".join(c.value for c in at.caption)
    at = open_page(at, "triage")  # the link itself: the desk's address says it is not for this account
    assert not at.exception and at.title[0].value == i18n.t("signin.not_allowed_title", "zh")
    assert "13700000000" not in " ".join(x.value for x in [*at.caption, *at.markdown, *at.text])
