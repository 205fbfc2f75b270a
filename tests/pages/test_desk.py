"""The triage desk page: staff see the queue and act; others are refused by the page itself."""
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db import accounts_repo
from db.engine import engine_for, session_scope
from db.models import Report
from qingxi.settings import current


def _desk_alone() -> None:
    from pages import desk

    desk.render()


def desk() -> AppTest:
    return AppTest.from_function(_desk_alone, default_timeout=30).run()


def report(code: str) -> Report:
    with session_scope(engine_for(current().database_url)) as s:
        return s.scalars(select(Report).where(Report.code == code)).one()


def test_the_public_and_deputies_are_refused(file_report, sign_in_as):
    file_report()
    assert [e.value for e in desk().error] == ["你没有权限查看或办理这项工作。"]
    sign_in_as("deputy")
    assert [e.value for e in desk().error] == ["你没有权限查看或办理这项工作。"]


def test_staff_sign_for_and_dispatch_a_report(file_report, sign_in_as):
    code = file_report(name="王五", phone="13700000000")
    sign_in_as("staff")
    with session_scope(engine_for(current().database_url)) as s:
        unit = accounts_repo.add_unit(s, "沙柳村村委会").id
    at = desk()
    assert not at.exception and at.title[0].value == "分拣台 · 待办问题"
    rid = report(code).id
    assert any(f"#{rid}" in m.value for m in at.markdown)
    at.button(key=f"open{rid}").click().run()
    assert any("13700000000" in c.value for c in at.caption)  # staff may call the reporter back
    action = next(sb for sb in at.selectbox if sb.label == "操作")
    action.select("sign")
    at.button(key=f"FormSubmitter:act{rid}-确定").click().run()
    assert report(code).state == "signed" and report(code).signed_at is not None
    assert at.success[0].value == "已办理。"
    action = next(sb for sb in at.selectbox if sb.label == "操作")
    action.select("dispatch")
    next(sb for sb in at.selectbox if sb.label == "承办单位").select(unit)
    at.button(key=f"FormSubmitter:act{rid}-确定").click().run()
    assert (report(code).state, report(code).unit_id) == ("dispatched", unit)


def test_a_refused_move_is_explained_and_changes_nothing(file_report, sign_in_as):
    code = file_report()
    sign_in_as("staff")
    at = desk()
    rid = report(code).id
    at.button(key=f"open{rid}").click().run()
    next(sb for sb in at.selectbox if sb.label == "操作").select("refer")
    at.button(key=f"FormSubmitter:act{rid}-确定").click().run()  # refer needs a note
    assert at.error[0].value == "请填写说明。"
    assert report(code).state == "submitted"


def test_handlers_see_only_their_units_work(file_report, sign_in_as):
    file_report()
    sign_in_as("handler")
    at = desk()
    assert not at.exception and at.info[0].value == "没有待办的问题。"
