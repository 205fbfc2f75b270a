"""Clean-up day screens under AppTest: the public list, one day's page and its sign-up form, a
sign-up's own page, the numbers, and the staff planning and day-of pages. Data from the demo set
(qingxi.demo_cleanups) and the real services; every refusal shows its message and changes nothing."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from db.engine import engine_for, session_scope
from db.models import AuditEntry, Cleanup, CleanupReport, Report, Signup
from qingxi import cleanups as cu
from qingxi.core.settings import current


def _page(name: str) -> None:
    from pages import cleanups, cleanups_staff

    {"list": cleanups.render, "signup": cleanups.signup, "numbers": cleanups.numbers,
     "plan": cleanups_staff.plan, "day": cleanups_staff.day}[name]()


def page(name: str, **params) -> AppTest:
    at = AppTest.from_function(_page, args=(name,), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = str(value)
    return at.run()


def db():
    return engine_for(current().database_url)


def staff():
    from db import accounts_queries

    with session_scope(db()) as s:
        return accounts_queries.user_by_name(s, "demo-staff")


def demo_event(word: str) -> cu.Event:
    return next(e for e in cu.events(db(), staff()) if word in e.title)


def texts(at: AppTest) -> str:
    """Everything the page shows as text."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "success",
                                  "warning", "error", "code") for e in getattr(at, kind)]
    parts += [str(m.value) for m in at.metric] + [m.label for m in at.metric]
    parts += [str(t.value) for t in at.table] + [str(d.value) for d in at.dataframe]
    return "\n".join(parts)


def signups(cid: int) -> int:
    with session_scope(db()) as s:
        return s.scalar(select(func.count()).select_from(Signup).where(Signup.cleanup_id == cid))


def sign_up_on_the_page(cid: int, name: str, phone: str, companions: int = 0) -> AppTest:
    at = page("list", id=cid)
    at.text_input(key="su_name").input(name)
    at.text_input(key="su_phone").input(phone)
    at.number_input(key="su_companions").set_value(companions)
    return at.button(key=f"FormSubmitter:signup{cid}-提交报名").click().run()


def shown_code(at: AppTest) -> str:
    [code] = [m.value.split(">")[1].split("<")[0] for m in at.markdown if "qx-code" in m.value]
    return code


# ---------------------------------------------------------------- the public pages

def test_the_public_list_and_a_days_page_render_without_names_or_phones(demo_db):
    at = page("list")
    assert not at.exception and at.title[0].value == "志愿者清理日 · 一起护清溪"
    shown = texts(at)
    assert "【演示】世界环境日 · 清溪沙柳段清理" in shown and "名额已满，可以候补（已有 2 人候补）" in shown
    assert "草稿" not in shown and "清溪第 6.0–6.5 公里清理日" not in shown      # the draft is staff's
    upcoming = demo_event("世界环境日")
    at = page("list", id=upcoming.id)
    assert not at.exception and at.title[0].value == upcoming.title
    assert f"还剩 {upcoming.public_left} 个名额（共 20 人）" in texts(at)
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert deck.get("mapProvider") is None                          # no basemap: nothing leaves the machine
    assert [layer["id"] for layer in deck["layers"]] == ["river", "section", "pin"]
    assert at.button(key=f"FormSubmitter:signup{upcoming.id}-提交报名")
    past = next(e for e in cu.events(db(), None) if e.state == "reported")
    at = page("list", id=past.id)
    shown = texts(at)
    assert not at.exception and "清理成果" in shown
    assert str(past.results.participants) in shown and f"{past.results.kg:g}" in shown and "塑料瓶" in shown
    assert "演示志愿者" not in shown and "19900000" not in shown and "0576-0000000" not in shown


def test_sign_up_on_the_page_gives_a_code_and_its_page_shows_it(demo_db):
    ev = demo_event("世界环境日")
    at = sign_up_on_the_page(ev.id, "林小溪", "13812345678", companions=1)
    assert not at.exception and at.success[0].value == "报名成功，名额已为您保留。"
    code = shown_code(at)
    assert at.image and cu.reminder_text(cu.summary(db(), ev.id), "zh", code) == at.code[0].value
    assert at.get("download_button")
    with session_scope(db()) as s:
        su = s.scalars(select(Signup).where(Signup.code == code)).one()
        assert (su.name, su.phone, su.seats, su.status) == ("林小溪", "13812345678", 2, "seated")
    at = page("signup", code=code)
    assert not at.exception and at.success[0].value == "报名成功，名额已为您保留。"
    assert "占 2 个名额" in texts(at) and shown_code(at) == code
    # Asked once: the cancel button only opens the question; the sign-up stands until it is answered.
    ask = next(p for p in at.get("popover") if p.proto.popover.label == "取消报名")
    assert "确定要取消报名吗？您占的 2 个名额会让给候补的人。" in texts(ask)
    assert at.button(key="cancel_signup").label == "确定取消报名"
    assert cu.signup_status(db(), code).status == "seated"
    at.button(key="cancel_signup").click().run()
    assert cu.signup_status(db(), code).status == "cancelled"
    # The page after: the message once, no seat held, nothing left to cancel.
    said = [m.value for m in [*at.success, *at.info]]
    assert said == ["已取消报名。"], said
    assert "占 2 个名额" not in texts(at) and not [b for b in at.button if b.key == "cancel_signup"]
    at = page("signup", code=code)  # coming back later: said once, in the status
    assert [m.value for m in [*at.success, *at.info]] == ["已取消报名。"]


def test_the_sign_up_form_says_whether_reminders_will_come_by_text(demo_db, monkeypatch):
    from qingxi import notify

    ev = demo_event("世界环境日")
    shown = texts(page("list", id=ev.id))
    assert "短信提醒暂未开通" in shown and "会发短信提醒你" not in shown  # no text channel: said, not promised
    monkeypatch.setenv("QINGXI_NOTIFY_KEY", "page test key")
    current.cache_clear()
    notify.add(db(), None, "sms", "dingtalk://secret1@token1/{to}/", "cleanup.reminder,cleanup.promoted", person=True)
    shown = texts(page("list", id=ev.id))
    assert "清理日前一天和开始前两小时会发短信提醒你" in shown and "暂未开通" not in shown


def test_a_full_day_puts_the_newcomer_on_the_waitlist_and_says_where(demo_db):
    ev = demo_event("入海口")
    assert ev.state == "full" and ev.waitlisted == 2
    at = page("list", id=ev.id)
    assert "现在报名会进入候补名单（前面有 2 人）" in at.warning[0].value
    at = sign_up_on_the_page(ev.id, "候补阿姨", "13812340000")
    assert at.warning[0].value == "名额已满，您在候补名单第 3 位。有人取消时按顺序递补，本页会显示。"
    at = page("signup", code=shown_code(at))
    assert "候补名单第 3 位" in at.warning[0].value


@pytest.mark.parametrize("phone, companions, message", [
    ("19900000041", 0, "这个手机号已经报名了这次活动。"),        # a demo volunteer's phone
    ("13812345678", 11, "同行人数须在 0 到 10 之间。"),
    ("12345", 0, "手机号码格式不对，请检查。"),
])
def test_bad_sign_ups_are_explained_and_change_nothing(demo_db, phone, companions, message):
    ev = demo_event("世界环境日")
    before = signups(ev.id)
    at = sign_up_on_the_page(ev.id, "林小溪", phone, companions)
    assert not at.exception and [e.value for e in at.error] == [message]
    assert not [m for m in at.markdown if "qx-code" in m.value]
    assert signups(ev.id) == before and cu.summary(db(), ev.id).public_taken == ev.public_taken


def test_a_wrong_code_on_the_sign_up_page_is_explained(demo_db):
    before = {e.id: signups(e.id) for e in cu.events(db(), staff())}
    at = page("signup")
    at.text_input(key="signup_code").input("ZZZZZZ").run()
    assert [e.value for e in at.error] == ["报名码不对，请检查后再试。"] and not at.button
    assert {e.id: signups(e.id) for e in cu.events(db(), staff())} == before


def test_the_numbers_page_shows_the_totals(demo_db):
    s = cu.stats(db())
    at = page("numbers")
    assert not at.exception and at.title[0].value == "清理成果 · 大家一起护清溪"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["清理日次数"] == str(s.events) == "2"
    assert metrics["参加人数"] == str(s.participants) and metrics["垃圾重量（公斤）"] == f"{s.kg:g}"
    assert metrics["到场率"] == f"{s.attendance_rate:.0%}"
    assert len(at.get("vega_lite_chart")) == 3


def test_a_report_cleaned_by_volunteers_links_to_the_day_on_its_status_page(demo_db):
    from tests.pages.conftest import open_app, open_page

    with session_scope(db()) as s:
        code, cid = s.execute(select(Report.code, CleanupReport.cleanup_id).join(
            CleanupReport, CleanupReport.report_id == Report.id).where(
            CleanupReport.cleaned_by_volunteers.is_(True))).first()
    at = open_app("zh")
    at.query_params["code"] = code
    at = open_page(at, "track")
    links = [p.proto for p in at.get("page_link") if "志愿者清理日" in p.proto.label]
    assert not at.exception and len(links) == 1
    assert links[0].page == "cleanups" and links[0].query_string == f"id={cid}"


# ---------------------------------------------------------------- staff: planning

def test_the_public_may_not_plan_or_run_a_day(demo_db):
    past = next(e for e in cu.events(db(), None) if e.state == "reported")
    for name in ("plan", "day"):
        at = page(name, id=past.id)
        assert [e.value for e in at.error] == ["这一页只对工作人员开放，请先登录。"]
        assert not at.get("download_button") and "19900000" not in texts(at)


def fill_plan(at: AppTest, **values) -> AppTest:
    for key, value in values.items():
        widget = at.text_input(key=f"pnew_{key}") if key in ("title", "leader") else at.number_input(key=f"pnew_{key}")
        widget.set_value(value)
    return at.button(key="FormSubmitter:plan_pnew-新建草稿").click().run()


def test_staff_create_a_day_and_a_section_outside_the_river_is_refused(demo_db, sign_in_as):
    sign_in_as("staff")
    at = page("plan")
    with session_scope(db()) as s:
        before = s.scalar(select(func.count()).select_from(Cleanup))
    at.selectbox(key="pnew_village").select("331022003204")                # 沙柳村
    at = fill_plan(at, title="冬季清溪清理", leader="李站长", **{"from": 1.0, "to": 99.0, "cap": 25})
    assert [e.value for e in at.error] == ["清理河段必须在清溪沙柳段上（0 到 8.31 公里，起点小于终点）。"]
    with session_scope(db()) as s:
        assert s.scalar(select(func.count()).select_from(Cleanup)) == before
    at.number_input(key="pnew_to").set_value(2.0)
    at.button(key="FormSubmitter:plan_pnew-新建草稿").click().run()
    assert not at.exception and at.success[0].value == "已保存。"
    new = next(e for e in cu.events(db(), staff()) if e.title == "冬季清溪清理")
    assert (new.state, new.km_from, new.km_to, new.capacity, new.leader_name, new.meeting_village) == \
        ("draft", 1.0, 2.0, 25, "李站长", "沙柳村")
    assert at.subheader[0].value == f"修改活动 #{new.id}：冬季清溪清理"       # it opens for editing
    at.button(key=f"publish{new.id}").click().run()
    assert cu.event(db(), staff(), new.id).state == "published"


def test_where_to_clean_makes_a_draft_with_the_sections_reports(demo_db, sign_in_as):
    user = sign_in_as("staff")
    top = cu.sections(db(), user, limit=1)[0]
    at = page("plan")
    assert "分数" in texts(at) and any("ColumnLayer" in d.proto.json for d in at.get("deck_gl_json_chart"))
    with session_scope(db()) as s:
        before = s.scalar(select(func.max(Cleanup.id)))
    at.button(key=f"draft{top.index}").click().run()
    assert not at.exception and at.success[0].value == "已生成草稿，并关联了这一段的待处理问题。"
    with session_scope(db()) as s:
        new = s.scalar(select(func.max(Cleanup.id)))
    assert new > before
    ev = cu.event(db(), user, new)
    assert (ev.state, ev.km_from, len(ev.reports)) == ("draft", top.km_from, top.reports)
    assert at.subheader[0].value.startswith(f"修改活动 #{new}")


# ---------------------------------------------------------------- staff: the day

def test_check_in_by_code_and_by_scanned_url_and_another_days_code_is_refused(demo_db, sign_in_as):
    sign_in_as("staff")
    ev, other = demo_event("世界环境日"), demo_event("入海口")
    seated = [r for r in cu.roster(db(), staff(), ev.id) if r.status == "seated"]
    foreign = next(r for r in cu.roster(db(), staff(), other.id) if r.status == "seated")
    at = page("day", id=ev.id)
    assert not at.exception and at.get("download_button")
    for typed, row in ((seated[0].code.lower(), seated[0]), (cu.signup_url(seated[1].code), seated[1])):
        at.text_input(key="checkin_code").input(typed)
        at.button(key="FormSubmitter:check_in-签到").click().run()
        assert at.success[0].value == f"签到成功：{row.name}（{row.seats} 人）"
    before = {r.code: r.checked_in_at for r in cu.roster(db(), staff(), other.id)}
    at.text_input(key="checkin_code").input(foreign.code)
    at.button(key="FormSubmitter:check_in-签到").click().run()
    assert [e.value for e in at.error] == ["这个报名码属于另一次活动。"]
    assert {r.code: r.checked_in_at for r in cu.roster(db(), staff(), other.id)} == before
    at.text_input(key="checkin_code").input(seated[0].code)
    at.button(key="FormSubmitter:check_in-签到").click().run()
    assert [e.value for e in at.error] == ["已经签到过了。"]


def test_negative_kg_is_refused_with_its_message_and_nothing_changes(demo_db, sign_in_as):
    sign_in_as("staff")
    past = next(e for e in cu.events(db(), staff()) if e.state == "reported")
    with session_scope(db()) as s:
        audits = s.scalar(select(func.count()).select_from(AuditEntry))
    at = page("day", id=past.id)
    at.number_input(key="r_kg").set_value(-5.0)
    at.button(key="FormSubmitter:results-保存清理成果").click().run()
    assert [e.value for e in at.error] == ["垃圾重量不能是负数。"]
    assert cu.summary(db(), past.id).results == past.results
    with session_scope(db()) as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == audits
    at.number_input(key="r_kg").set_value(150.0)
    at.button(key="FormSubmitter:results-保存清理成果").click().run()
    assert at.success[0].value == "已保存。" and cu.summary(db(), past.id).results.kg == 150.0


def test_the_roster_csv_is_for_staff_only(demo_db, sign_in_as):
    ev = demo_event("世界环境日")
    at = page("day", id=ev.id)
    assert not at.get("download_button")
    sign_in_as("deputy")
    assert not page("day", id=ev.id).get("download_button")
    sign_in_as("staff")
    at = page("day", id=ev.id)
    [button] = at.get("download_button")
    assert "名单" in button.proto.label and "19900000041" in texts(at)


def test_staff_cancel_a_day_only_with_a_message_and_every_sign_up_page_shows_it(demo_db, sign_in_as):
    sign_in_as("staff")
    ev = demo_event("世界环境日")
    code = next(r.code for r in cu.roster(db(), staff(), ev.id) if r.status == "seated")
    at = page("plan")
    at.button(key=f"FormSubmitter:cancel{ev.id}-取消活动").click().run()
    assert [e.value for e in at.error] == ["取消活动时请写一句话告诉报名的人。"]
    assert cu.event(db(), staff(), ev.id).state == "published"
    at.text_area(key=f"cmsg{ev.id}").input("台风预警，改期另行通知。")
    at.button(key=f"FormSubmitter:cancel{ev.id}-取消活动").click().run()
    assert at.success[0].value == "已办理。" and cu.event(db(), staff(), ev.id).state == "cancelled"
    at = page("signup", code=code)
    assert [e.value for e in at.error] == ["这次清理活动已取消：台风预警，改期另行通知。"]
    assert not [b for b in at.button if b.key == "cancel_signup"]               # nothing left to cancel
    at = page("list", id=ev.id)
    assert "这次清理活动已取消：台风预警，改期另行通知。" in texts(at)
    assert not [b for b in at.button if b.key and "signup" in b.key]            # no sign-up form any more


def test_staff_mark_attendance_and_add_a_walk_in_on_the_day(demo_db, sign_in_as):
    sign_in_as("staff")
    past = next(e for e in cu.events(db(), staff()) if e.state == "reported")
    missed = next(r for r in cu.roster(db(), staff(), past.id) if r.attendance == "no_show")
    at = page("day", id=past.id)
    at.segmented_control(key=f"att{missed.id}").set_value("attended").run()
    assert not at.exception and at.success[0].value == "已办理。"
    assert next(r for r in cu.roster(db(), staff(), past.id) if r.id == missed.id).attendance == "attended"
    assert not [t for t in at.text_input if t.key == "wi_name"]              # results published: no walk-ins
    ev = demo_event("世界环境日")
    before = len(cu.roster(db(), staff(), ev.id))
    at = page("day", id=ev.id)
    at.text_input(key="wi_name").input("路过的钓鱼大叔")
    at.number_input(key="wi_comp").set_value(1)
    at.button(key="FormSubmitter:walk_in-登记").click().run()
    assert at.success[0].value == "已办理。"
    rows = cu.roster(db(), staff(), ev.id)
    assert len(rows) == before + 1
    assert [(r.name, r.seats, r.walk_in, r.attendance) for r in rows if r.walk_in] == [("路过的钓鱼大叔", 2, True, "attended")]


def test_the_pages_speak_english_too(demo_db, sign_in_as):
    sign_in_as("staff")
    ev = demo_event("世界环境日")
    for name, params in (("list", {}), ("list", {"id": ev.id}), ("numbers", {}), ("plan", {}), ("day", {"id": ev.id})):
        at = AppTest.from_function(_page, args=(name,), default_timeout=60)
        at.session_state["lang"] = "en"
        for key, value in params.items():
            at.query_params[key] = str(value)
        at.run()
        assert not at.exception and not at.error
        chrome = [e.value for e in at.subheader] + [m.label for m in at.metric] + [b.label for b in at.button]
        assert chrome and not [c for c in chrome if any("\u4e00" <= ch <= "\u9fff" for ch in c)
                               and "演示" not in c and "清溪" not in c]
