"""The proposal screens through AppTest: the public list, the staff register and filing form, a
deputy's home with its alerts, one proposal's page (text, timeline, results, map, contact log only
for those allowed, actions by role), refusals shown in words with nothing changed, and a report's
status page naming the proposals it supports."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from db.engine import engine_for, session_scope
from db.models import AuditEntry, Proposal, Report
from qingxi import proposals as P
from qingxi.core import clock
from qingxi.core.settings import current
from tests.pages.conftest import menu, open_app, open_page
from tests.support.demo_passwords import demo_password


def _db():
    return engine_for(current().database_url)


def _proposal(title_part: str) -> Proposal:
    with session_scope(_db()) as s:
        p = s.scalars(select(Proposal).where(Proposal.title.contains(title_part))).one()
        s.expunge(p)
        return p


def _audit_count() -> int:
    with session_scope(_db()) as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


@pytest.fixture
def as_demo(demo_db, monkeypatch):
    """Sign in as a demo account by token, as the browser's cookie would carry it."""
    import ui
    from qingxi import accounts

    def sign(username: str):
        token = accounts.sign_in(_db(), username, demo_password(username), "127.0.0.1")
        monkeypatch.setattr(ui, "session_token", lambda: token)

    return sign


def proposal_page(pid: int, lang: str = "zh"):
    at = open_app(lang)
    at.query_params["id"] = str(pid)
    return open_page(at, "proposal")


def texts(at) -> str:
    parts = [e.value for kind in ("title", "markdown", "caption", "text", "info", "error", "warning", "success",
                                  "subheader", "header") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def send_answer(at, klass: str, reply: str, *files: tuple[str, bytes]):
    """Fill in and send the answer form (attachments as (name, bytes), sent as JPEG)."""
    at.radio(key="pa_answer_class").set_value(klass)
    at.text_area(key="pa_answer_text").input(reply)
    for name, data in files:
        at.file_uploader(key="pa_answer_files").upload(name, data, "image/jpeg")
    return at.button(key="FormSubmitter:pa_answer-答复").click().run()


def refused(at, message: str, title: str, state: str, audit_before: int) -> None:
    """The refusal in words; the proposal still in `state`, no audit entry written."""
    assert at.error[0].value == message
    assert _proposal(title).state == state and _audit_count() == audit_before


def _md(value: str) -> str:
    from ui.text import plain

    return plain(value)


# ---------------------------------------------------------------- the public list

def test_the_public_list_shows_published_proposals_only(demo_db):
    at = open_page(open_app("zh"), "proposals")
    assert not at.exception
    assert at.title[0].value == "代表建议"
    shown = texts(at)
    assert "关于深化清溪两岸综合整治的建议" in shown and "关于要求启动清溪休闲旅游区建设的建议" in shown
    assert "截污纳管" in shown                      # published demo proposal
    assert "防洪堤加高" not in shown                 # evaluated, not published
    assert "垃圾收集点" not in shown and "非法捕捞" not in shown and "垃圾分类" not in shown
    assert [p.value for p in at.get("progress")]  # progress bars for the results


def test_the_public_list_filters_by_topic_session_state_and_village(demo_db):
    at = open_page(open_app("zh"), "proposals")
    at.selectbox(key="pl_topic").select("tourism_leisure").run()
    shown = texts(at)
    assert "关于要求启动清溪休闲旅游区建设的建议" in shown and "两岸综合整治" not in shown
    at.selectbox(key="pl_topic").select(None)
    sessions = P.sessions(_db())
    first = next(s.id for s in sessions if s.meeting == 1)
    at.selectbox(key="pl_session").select(first).run()
    shown = texts(at)
    assert "两岸综合整治" in shown and "休闲旅游区" not in shown
    at.selectbox(key="pl_session").select(None)
    at.selectbox(key="pl_state").select("submitted").run()
    assert at.info[0].value == "没有符合条件的建议。"   # the public sees no unpublished one
    at.selectbox(key="pl_state").select(None)
    with session_scope(_db()) as s:
        p2 = _proposal("休闲旅游区")
        from db.models import ProposalVillage, Village
        inside = s.scalar(select(ProposalVillage.village_id).where(ProposalVillage.proposal_id == p2.id))
        named = set(s.scalars(select(ProposalVillage.village_id)))
        outside = s.scalar(select(Village.id).where(Village.id.not_in(named)))
    at.selectbox(key="pl_village").select(inside).run()
    assert "休闲旅游区" in texts(at)
    at.selectbox(key="pl_village").select(outside).run()
    assert at.info[0].value == "没有符合条件的建议。"


def test_staff_see_the_register_and_file_a_proposal(as_demo):
    as_demo("demo-staff")
    at = open_page(open_app("zh"), "proposals")
    assert at.title[0].value == "代表建议登记簿"
    assert "垃圾收集点" in texts(at) and "防洪堤加高" in texts(at)   # unpublished ones too
    before = _audit_count()
    at.text_input(key="pl_file_title").input("关于在清溪增设水质监测点的建议")
    at.button(key="FormSubmitter:pl_file-登记建议").click().run()     # no text, no meeting
    assert at.error[0].value == "请选择提出建议的会议。"
    assert _audit_count() == before
    at.text_area(key="pl_file_body").input("建议在沙柳段设三处水质自动监测点。")
    at.selectbox(key="pl_file_session").select(P.sessions(_db())[-1].id)
    at.text_input(key="pl_file_lead_name").input("梅式业")
    at.text_input(key="pl_file_co_names").input("张学法，周衍超")
    at.number_input(key="pl_file_km_from").set_value(1.0)
    at.number_input(key="pl_file_km_to").set_value(2.5)
    at.button(key="FormSubmitter:pl_file-登记建议").click().run()
    assert at.success[0].value.startswith("建议已登记")
    p = _proposal("水质监测点")
    assert (p.state, p.lead_deputy_name, p.km_from, p.km_to) == ("submitted", "梅式业", 1.0, 2.5)


# ---------------------------------------------------------------- the deputy's home

def test_the_demo_deputy_sees_alerts_for_overdue_and_awaiting_evaluation(as_demo):
    as_demo("demo-deputy")
    at = open_page(open_app("zh"), "my-proposals")
    assert not at.exception
    assert at.title[0].value == "我的建议"
    assert [e.value for e in at.error] == [
        f"《{_proposal('垃圾收集点').title}》已超过办理期限 {-P.days_left(_proposal('垃圾收集点').deadline, clock.now())} 天"]
    assert [w.value for w in at.warning] == [f"《{_proposal('非法捕捞').title}》已答复，请您评价"]
    shown = texts(at)
    assert "我领衔" in shown and "我附议" in shown
    assert "最近沟通" in shown and "剩余" in shown and "超期" in shown


def _home_alone() -> None:
    from pages import proposals

    proposals.home()


def test_the_home_is_for_deputies(as_demo):
    from streamlit.testing.v1 import AppTest

    as_demo("demo-staff")
    at = open_app("zh")
    assert "my-proposals" not in menu(at)
    alone = AppTest.from_function(_home_alone, default_timeout=30).run()
    assert [e.value for e in alone.error] == ["您没有权限进行这项操作。"]


# ---------------------------------------------------------------- one proposal's page

def test_the_public_page_shows_text_timeline_results_and_map_but_no_contacts(demo_db):
    pid = _proposal("两岸综合整治").id
    at = proposal_page(pid)
    assert not at.exception
    assert at.title[0].value == "关于深化清溪两岸综合整治的建议"
    shown = texts(at)
    assert "清溪是沙柳的母亲河" in shown                       # the full text
    assert "周衍超" in shown and "张学法" in shown                 # signers
    assert "三门县水利局（演示）" in shown                          # units
    assert "A类：已解决或基本解决" in shown and "B类：正在解决或列入计划解决" in shown  # both answers kept
    assert "办理过程" in shown and "交办" in shown and "成效进展" in shown
    assert "沟通记录" not in shown and "水利局负责人到沙柳街道代表联络站" not in shown
    assert not [e for e in at.expander if "沟通记录" in e.label]
    progress = [p.value for p in at.get("progress")]
    assert len(progress) == 3 and 100 in progress
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    ids = {layer["id"] for layer in deck["layers"]}
    assert {"river", "section", "results", "reports"} <= ids
    assert not [b for b in at.button if b.key and b.key.startswith("pa_")]     # no actions
    assert not [f for f in at.get("form")]


@pytest.mark.parametrize("title", ["垃圾收集点", "防洪堤加高", "垃圾分类"])
def test_an_unpublished_proposal_is_not_found_for_the_public(demo_db, title):
    p = _proposal(title)
    at = proposal_page(p.id)
    assert [e.value for e in at.error] == ["找不到这件建议，或您无权查看。"]
    assert p.title not in texts(at) and not at.get("deck_gl_json_chart")


def test_a_missing_or_bad_id_is_not_found(demo_db):
    for raw in ("99999", "abc", ""):
        at = open_app("zh")
        at.query_params["id"] = raw
        at = open_page(at, "proposal")
        assert [e.value for e in at.error] == ["找不到这件建议，或您无权查看。"]


def test_the_lead_deputy_sees_the_contact_log_and_evaluate_and_withdraw(as_demo):
    as_demo("demo-deputy")
    at = proposal_page(_proposal("非法捕捞").id)
    assert "沟通记录（1 条" in " ".join(e.label for e in at.expander)
    assert "电话告知联合巡查安排。" in texts(at)
    assert {f.key for f in at.get("form")} >= {"pa_evaluate"}
    at = proposal_page(_proposal("垃圾分类").id)
    assert "pa_withdraw" in {f.key for f in at.get("form")} and "pa_evaluate" not in {f.key for f in at.get("form")}


def test_the_deputy_evaluates_unsatisfied_without_reasons_then_with_reasons(as_demo):
    as_demo("demo-deputy")
    p = _proposal("非法捕捞")
    at = proposal_page(p.id)
    before = _audit_count()
    at.radio(key="pa_evaluate_choice").set_value("unsatisfied")
    at.button(key="FormSubmitter:pa_evaluate-评价").click().run()
    refused(at, "请写明理由。", "非法捕捞", "answered", before)
    at.radio(key="pa_evaluate_choice").set_value("unsatisfied")
    at.text_area(key="pa_evaluate_reason").input("夜间巡查没有覆盖下游。")
    at.button(key="FormSubmitter:pa_evaluate-评价").click().run()
    assert at.success[0].value == "已办理。"
    assert _proposal("非法捕捞").state == "handling"
    assert "办理中" in at.info[0].value


def test_staff_assign_a_new_proposal(as_demo):
    as_demo("demo-staff")
    p = _proposal("垃圾收集点")
    staff_file = P.file(_db(), _staff(), title="关于清溪夜间照明的建议", body="步道缺少照明。",
                        session_id=p.session_id, lead_deputy_name="梅式业")
    at = proposal_page(staff_file)
    assert "pa_assign" in {f.key for f in at.get("form")}
    before = _audit_count()
    at.button(key="FormSubmitter:pa_assign-交办").click().run()     # no unit chosen
    assert at.error[0].value == "请选择有效的承办单位；主办单位不能同时是协办单位。"
    assert _audit_count() == before
    units = P.choices(_db()).units
    water = next(i for i, n in units.items() if n == "三门县水利局（演示）")
    street = next(i for i, n in units.items() if n == "沙柳街道办事处（演示）")
    at.selectbox(key="pa_assign_lead").select(water)
    at.multiselect(key="pa_assign_co").select(street)
    at.button(key="FormSubmitter:pa_assign-交办").click().run()
    assert at.success[0].value == "已办理。"
    d = P.detail(_db(), _staff(), staff_file)
    assert (d.row.state, d.lead_unit_id, [u for u, _ in d.co_units]) == ("assigned", water, [street])
    assert d.row.deadline is not None


def _staff():
    with session_scope(_db()) as s:
        from db import accounts_queries
        u = accounts_queries.user_by_name(s, "demo-staff")
        s.expunge(u)
        return u


def test_the_handler_signs_answers_only_after_a_contact_then_answers(as_demo):
    """The demo unit's just-assigned proposal: sign, try to answer with no contact (refused, nothing
    changed), log a contact, answer."""
    as_demo("demo-handler")
    p = _proposal("垃圾分类")
    at = proposal_page(p.id)
    at.button(key="pa_sign").click().run()
    assert at.success[0].value == "已办理。" and _proposal("垃圾分类").state == "signed"
    at = proposal_page(p.id)
    assert "pa_answer" not in {f.key for f in at.get("form")}   # answers come in handling
    at.text_area(key="pa_contact_summary").input("电话与代表确认分类试点村。")
    at.button(key="FormSubmitter:pa_contact-记录沟通").click().run()
    assert at.success[0].value == "已办理。" and _proposal("垃圾分类").state == "handling"
    send_answer(at, "B", "已在两个村试点垃圾分类，明年推广。")
    assert at.success[0].value == "已办理。"
    assert _proposal("垃圾分类").state == "answered"


def test_answering_without_a_contact_is_refused_and_changes_nothing(as_demo):
    """After the deputy's 不满意 the proposal is back in handling: a new contact is needed first."""
    p = _proposal("非法捕捞")
    with session_scope(_db()) as s:
        from db import accounts_queries
        deputy = accounts_queries.user_by_name(s, "demo-deputy")
        s.expunge(deputy)
    P.evaluate(_db(), deputy, p.id, "unsatisfied", "下游没有巡查")
    as_demo("demo-staff")
    at = proposal_page(p.id)
    before = _audit_count()
    send_answer(at, "A", "已覆盖下游。")
    refused(at, "答复前，请先记录至少一次与代表的沟通。", "非法捕捞", "handling", before)


def test_linking_a_missing_report_is_refused_then_a_real_one_is_linked(as_demo):
    as_demo("demo-deputy")
    p = _proposal("非法捕捞")
    at = proposal_page(p.id)
    before = _audit_count()
    at.number_input(key="pa_link_id").set_value(999999)
    at.button(key="FormSubmitter:pa_link-关联群众上报").click().run()
    assert at.error[0].value == "找不到这条群众上报。"
    assert _audit_count() == before
    pick = at.selectbox(key="pa_link_pick")
    first = pick.options[0]
    rid = int(first.split("·")[0].strip().lstrip("#"))
    pick.select(rid)
    at.button(key="FormSubmitter:pa_link-关联群众上报").click().run()
    assert at.success[0].value == "已办理。"
    assert rid in [r.id for r in P.detail(_db(), _staff(), p.id).reports]


def test_results_are_added_and_updated_through_the_page(as_demo):
    as_demo("demo-handler")
    p = _proposal("垃圾收集点")
    at = proposal_page(p.id)
    before = _audit_count()
    at.button(key="FormSubmitter:pa_result_update-更新成效进度").click().run()   # no progress given
    assert at.error[0].value == "进度必须是 0 到 100 之间的整数。"
    assert _audit_count() == before
    at.number_input(key="pa_update_progress").set_value(60)
    at.text_input(key="pa_update_note").input("又设置三处")
    at.button(key="FormSubmitter:pa_result_update-更新成效进度").click().run()
    assert at.success[0].value == "已办理。"
    assert [r.progress for r in P.detail(_db(), _staff(), p.id).results] == [60]
    at.text_input(key="pa_result_title").input("分类宣传栏")
    at.number_input(key="pa_result_km").set_value(2.0)
    at.button(key="FormSubmitter:pa_result_add-登记成效").click().run()
    assert at.success[0].value == "已办理。"
    assert len(P.detail(_db(), _staff(), p.id).results) == 2


def test_the_dossier_is_offered_for_download(demo_db):
    at = proposal_page(_proposal("两岸综合整治").id)
    assert [b for b in at.get("download_button") if "打印卷宗" in b.proto.label]


def test_english_page(demo_db):
    at = proposal_page(_proposal("两岸综合整治").id, "en")
    assert not at.exception
    assert "Timeline" in texts(at) and "Answers" in texts(at)


# ---------------------------------------------------------------- a report's status page

def test_a_report_status_page_links_the_published_proposals_it_supports(demo_db):
    p1 = _proposal("两岸综合整治")
    with session_scope(_db()) as s:
        from db.models import ProposalReportLink
        rid = s.scalar(select(ProposalReportLink.report_id).where(ProposalReportLink.proposal_id == p1.id))
        code = s.get(Report, rid).code
        overdue = _proposal("垃圾收集点")
        hidden_rid = s.scalar(select(ProposalReportLink.report_id)
                              .where(ProposalReportLink.proposal_id == overdue.id))
        hidden_code = s.get(Report, hidden_rid).code
    at = open_app("zh")
    at.query_params["code"] = code
    at = open_page(at, "track")
    assert "这条上报支持的代表建议" in texts(at)
    links = [e for e in at.get("page_link")]
    assert any(p1.title in link.proto.label for link in links)
    at = open_app("zh")
    at.query_params["code"] = hidden_code
    at = open_page(at, "track")
    assert "这条上报支持的代表建议" not in texts(at)      # an unpublished proposal stays hidden


def test_staff_decide_the_pending_extension_and_publish_an_evaluated_proposal(as_demo):
    as_demo("demo-staff")
    p5 = _proposal("垃圾收集点")
    at = proposal_page(p5.id)
    assert "延期申请待审批" in texts(at)
    at.radio(key="pa_decide_choice").set_value("approved")
    at.button(key="FormSubmitter:pa_decide-审批延期").click().run()
    assert at.success[0].value == "已办理。"
    assert _proposal("垃圾收集点").deadline > p5.deadline      # two more months
    assert "已同意延期" in texts(at)
    p4 = _proposal("防洪堤加高")
    at = proposal_page(p4.id)
    at.button(key="pa_publish").click().run()
    assert at.success[0].value == "已办理。" and _proposal("防洪堤加高").state == "published"


def test_an_answer_attachment_is_stored_and_offered_for_download(as_demo):
    from tests.support.photo_samples import jpeg

    as_demo("demo-handler")
    p = _proposal("垃圾收集点")   # in handling with a contact: the unit may answer
    at = proposal_page(p.id)
    send_answer(at, "C", "收集点分两批设置。", ("site.jpg", jpeg((640, 480))))
    assert at.success[0].value == "已办理。"
    [answer] = P.detail(_db(), _staff(), p.id).answers
    assert [f.kind for f in answer.attachments] == ["image"]
    at = proposal_page(p.id)
    assert [b for b in at.get("download_button") if b.proto.label.replace("\\", "").startswith("site.jpg")]


def test_a_bad_attachment_is_refused_and_nothing_changes(as_demo):
    as_demo("demo-handler")
    p = _proposal("垃圾收集点")
    at = proposal_page(p.id)
    before = _audit_count()
    send_answer(at, "C", "见附件。", ("notes.jpg", b"not an image at all"))
    refused(at, "附件只能是照片（JPG、PNG、WebP、HEIC）或 PDF 文件。", "垃圾收集点", "handling", before)


def test_the_lead_deputy_withdraws_only_with_a_reason(as_demo):
    as_demo("demo-deputy")
    p = _proposal("垃圾分类")
    at = proposal_page(p.id)
    before = _audit_count()
    at.button(key="FormSubmitter:pa_withdraw-撤回").click().run()
    refused(at, "请写明理由。", "垃圾分类", "assigned", before)
    at.text_area(key="pa_withdraw_reason").input("与另一件建议合并办理。")
    at.button(key="FormSubmitter:pa_withdraw-撤回").click().run()
    assert at.success[0].value == "已办理。" and _proposal("垃圾分类").state == "withdrawn"


def test_the_unit_returns_a_wrong_assignment_with_a_reason(as_demo):
    as_demo("demo-handler")
    p = _proposal("垃圾分类")
    at = proposal_page(p.id)
    assert "退回" in texts(at)   # until when it may be returned
    at.text_area(key="pa_return_reason").input("垃圾分类应由街道环卫所主办。")
    at.button(key="FormSubmitter:pa_return-退回").click().run()
    assert at.success[0].value == "已办理。"
    assert (_proposal("垃圾分类").state, _proposal("垃圾分类").lead_unit_id) == ("submitted", None)
    assert at.error[0].value == "找不到这件建议，或您无权查看。"   # no longer the unit's to read


def test_progress_cannot_be_typed_beyond_100(as_demo):
    as_demo("demo-handler")
    at = proposal_page(_proposal("垃圾收集点").id)
    assert (at.number_input(key="pa_update_progress").min, at.number_input(key="pa_update_progress").max) == (0, 100)
    assert at.number_input(key="pa_result_progress").max == 100
