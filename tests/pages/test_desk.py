"""The triage desk page: staff see the queue and act; others are refused by the page itself."""
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db import accounts_queries
from db.engine import engine_for, session_scope
from db.models import Report
from qingxi.core.settings import current


def _desk_alone() -> None:
    from pages import triage

    triage.render()


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
        unit = accounts_queries.add_unit(s, "沙柳村村委会").id
    at = desk()
    assert not at.exception and at.title[0].value == "分拣台 · 待办问题"
    rid = report(code).id
    assert any(f"#{rid}" in m.value for m in at.markdown)
    at.button(key=f"open{rid}").click().run()
    assert any("13700000000" in c.value for c in at.caption)  # staff may call the reporter back
    action = next(sb for sb in at.selectbox if sb.label == "操作")
    action.select("sign").run()
    # Signing for it takes no note and no photo.
    assert not at.get("file_uploader") and not [w for w in at.text_area if w.form_id == f"act{rid}-sign"]
    at.button(key=f"FormSubmitter:act{rid}-sign-确定").click().run()
    assert report(code).state == "signed" and report(code).signed_at is not None
    assert at.success[0].value == "已办理。"
    action = next(sb for sb in at.selectbox if sb.label == "操作")
    action.select("dispatch").run()
    assert not at.get("file_uploader") and at.checkbox[0].label == "回复对上报人公开" and not at.checkbox[0].value
    next(sb for sb in at.selectbox if sb.label == "承办单位").select(unit)
    at.button(key=f"FormSubmitter:act{rid}-dispatch-确定").click().run()
    assert (report(code).state, report(code).unit_id) == ("dispatched", unit)


def test_a_refused_move_is_explained_and_changes_nothing(file_report, sign_in_as):
    code = file_report()
    sign_in_as("staff")
    at = desk()
    rid = report(code).id
    at.button(key=f"open{rid}").click().run()
    next(sb for sb in at.selectbox if sb.label == "操作").select("refer").run()
    assert "这段说明会显示给上报人。" in [c.value for c in at.caption]
    at.button(key=f"FormSubmitter:act{rid}-refer-确定").click().run()  # refer needs a note
    assert at.error[0].value == "请填写说明。"
    assert report(code).state == "submitted"


def test_handlers_see_only_their_units_work(file_report, sign_in_as):
    file_report()
    sign_in_as("handler")
    at = desk()
    assert not at.exception and at.info[0].value == "没有待办的问题。"


# --- filters and moderation ------------------------------------------------------------------------

def _db():
    return engine_for(current().database_url)


def _rows(at: AppTest) -> set[int]:
    return {int(b.key[4:]) for b in at.button if b.key and b.key.startswith("open")}


def test_staff_filter_the_desk_by_state_village_and_unit(file_report, sign_in_as):
    from db.models import Village
    from qingxi.reports import triage

    first, second = report(file_report()).id, report(file_report(category="sewage")).id
    staff = sign_in_as("staff")
    with session_scope(_db()) as s:
        unit = accounts_queries.add_unit(s, "沙柳村村委会").id
        village = s.get(Report, first).village_id
        elsewhere = s.scalars(select(Village.id).where(Village.id != village)).first()
    triage.sign(_db(), staff, second)
    at = desk()
    assert _rows(at) == {first, second}
    at.selectbox(key="desk_state").select("signed")
    at = at.run()
    assert _rows(at) == {second}
    triage.dispatch(_db(), staff, second, unit)
    at.selectbox(key="desk_state").select(None)
    at.selectbox(key="desk_unit").select(unit)
    at = at.run()
    assert _rows(at) == {second}
    at.selectbox(key="desk_unit").select(None)
    at.selectbox(key="desk_village").select(village)
    at = at.run()
    assert _rows(at) == {first, second}
    at.selectbox(key="desk_village").select(elsewhere)
    at = at.run()
    assert _rows(at) == set() and at.info[0].value == "没有待办的问题。"


def test_staff_hide_a_photo_and_redact_a_description_with_a_reason(file_report, sign_in_as):
    from db.models import AuditEntry, Photo

    code = file_report(description="垃圾很多，联系我 13900001111 张三")
    sign_in_as("staff")
    rid = report(code).id
    at = desk()
    at.button(key=f"open{rid}").click().run()
    with session_scope(_db()) as s:
        [photo] = s.scalars(select(Photo.id).where(Photo.report_id == rid)).all()
    at.button(key=f"FormSubmitter:hide_photo{rid}-隐藏这张照片").click().run()  # no reason
    assert at.error[0].value == "请填写理由。"
    at.text_input(key=f"photo_reason{rid}").input("照片拍到了人脸")
    at.button(key=f"FormSubmitter:hide_photo{rid}-隐藏这张照片").click().run()
    assert at.success[0].value == "已办理。"
    with session_scope(_db()) as s:
        assert s.get(Photo, photo).hidden
    at.text_area(key=f"redact_text{rid}").input("垃圾很多")
    at.text_input(key=f"redact_reason{rid}").input("描述里有电话和姓名")
    at.button(key=f"FormSubmitter:redact{rid}-保存修改后的描述").click().run()
    assert at.success[0].value == "已办理。"
    assert report(code).description == "垃圾很多"
    with session_scope(_db()) as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).where(AuditEntry.action.in_(
            ["photo.hide", "report.redact"])))]
        assert actions == ["photo.hide", "report.redact"]
        assert "13900001111" not in "".join(e.before + e.after for e in s.scalars(select(AuditEntry)))


def test_handlers_get_no_moderation(file_report, sign_in_as):
    from qingxi.reports import triage

    code = file_report()
    staff = sign_in_as("staff")
    handler = sign_in_as("handler")
    rid = report(code).id
    triage.sign(_db(), staff, rid)
    triage.dispatch(_db(), staff, rid, handler.unit_id)
    at = desk()
    at.button(key=f"open{rid}").click().run()
    assert not at.exception and not at.error
    assert "内容审核（隐藏照片、删去个人信息）" not in [e.label for e in at.expander]
    assert not [b for b in at.button if b.key and "hide_photo" in b.key]


def _shown(at: AppTest) -> str:
    """Every word the page put on screen, whatever the element."""
    return "\n".join(str(getattr(e, "value", "") or "") + str(getattr(e, "label", "") or "")
                     for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "success",
                                  "metric", "dataframe", "table", "code", "json")
                     for e in at.get(kind))


def test_staff_find_a_report_by_its_code_without_ever_seeing_a_code(file_report, sign_in_as):
    """The tracking code is the reporter's key (/track: confirm fixed, rate): a handler or staff
    member who saw it could act as the reporter. The villager reads it out; the desk finds the
    report by it, and no queue row, search row or report view shows it."""
    code = file_report(name="王五", phone="13700000000")
    rid = report(code).id
    sign_in_as("staff")
    at = desk()
    assert any(f"#{rid}" in m.value for m in at.markdown) and code not in _shown(at)
    at.text_input(key="find_code").input(" " + code.lower()[:3] + " " + code.lower()[3:]).run()
    at.button(key="FormSubmitter:desk_search-查找").click().run()
    assert at.button(key=f"find{rid}") is not None and code not in _shown(at)
    at.button(key=f"find{rid}").click().run()
    assert any("13700000000" in c.value for c in at.caption) and code not in _shown(at)
