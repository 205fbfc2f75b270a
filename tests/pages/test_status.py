"""The status page: follow a report by code in plain words, confirm it is fixed once staff say so,
say it is still there, rate."""
import pytest
from sqlalchemy import select

from db import accounts_queries
from db.engine import engine_for, session_scope
from db.models import Report, User
from qingxi.core.settings import current as settings
from qingxi.reports import track, triage
from tests.pages.conftest import open_app, open_page
from tests.support import phone_photos
from tests.support.photo_samples import jpeg


def desk(code: str):
    """(engine, a staff account, the report's id) to act on it as the liaison station would."""
    eng = engine_for(settings().database_url)
    with session_scope(eng) as s:
        staff = s.scalar(select(User).where(User.username == "station")) or User(
            username="station", display_name="梅站长", role="staff")
        s.add(staff)
        s.flush()
        return eng, staff, s.scalar(select(Report.id).where(Report.code == code))


def fixed_by_staff(code: str, note: str = "已清理。") -> None:
    eng, staff, rid = desk(code)
    triage.sign(eng, staff, rid)
    triage.close_fixed(eng, staff, rid, note)


def status_page(lang="zh", code=None):
    at = open_app(lang)
    if code:
        at.query_params["code"] = code
    return open_page(at, "track")


@pytest.mark.parametrize("lang, state, kind", [
    ("zh", "已收到，等待工作人员查看", "工作人员会尽快查看并签收，再交给负责的单位。"),
    ("en", "Received, waiting for staff to look at it",
     "Staff will look at it soon, sign for it and pass it to the unit responsible.")])
def test_open_by_link_shows_state_and_timeline(file_report, lang, state, kind):
    code = file_report(name="王五", phone="13700000000")
    at = status_page(lang, code)
    assert not at.exception
    assert at.header[0].value == state
    assert at.markdown[0].value == kind
    page_text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "王五" not in page_text and "13700000000" not in page_text  # staff-only by default
    assert len(at.image) == 1


def test_typed_code_is_forgiving_and_unknown_code_is_explained(file_report):
    code = file_report()
    at = status_page()
    assert "6 位追踪码" in at.info[0].value
    at.text_input(key="track_code").input(f" {code.lower()} ").run()
    assert at.header[0].value == "已收到，等待工作人员查看"
    at.text_input(key="track_code").input("ZZZZZZ").run()
    assert "没有找到" in at.error[0].value


def test_an_untouched_report_offers_no_confirm(file_report):
    at = status_page(code=file_report())
    assert "确认已经解决" not in [b.label for b in at.button]
    assert len(at.pills) == 0  # no rating while it is open


def test_confirm_fixed_then_rate(file_report):
    code = file_report()
    fixed_by_staff(code, "垃圾已清运完毕，谢谢反映。")
    at = status_page(code=code)
    assert at.header[0].value == "已解决"
    at.button[0].click().run()
    assert at.button[0].label != "确认已经解决" and "谢谢确认" in at.success[0].value
    at.pills(key="rating").set_value("satisfied").run()
    assert track.status(engine_for(settings().database_url), code).rating == "satisfied"


def test_still_there_needs_a_comment_and_reopens(file_report):
    code = file_report()
    eng = engine_for(settings().database_url)
    fixed_by_staff(code)
    track.confirm_fixed(eng, code)
    at = status_page(code=code)
    at.button(key="FormSubmitter:still_there-问题还在，重新打开").click().run()
    assert "请说说现在的情况" in at.error[0].value
    assert track.status(eng, code).state == "fixed"
    at.text_area[0].input("岸边又堆满了")
    at.get("file_uploader")[0].upload("now.jpg", jpeg((500, 400)), "image/jpeg")
    at.button(key="FormSubmitter:still_there-问题还在，重新打开").click().run()
    assert track.status(eng, code).state == "reopened"
    assert at.header[0].value == "重新打开，会再处理"
    assert "岸边又堆满了" in [t.value for t in at.text]


def test_my_reports_are_remembered_in_the_session(file_report):
    first, second = file_report(), file_report()
    at = status_page()
    at.session_state["my_reports"] = [first, second]
    at.run()
    at.button(key=f"mine{second}").click().run()
    assert at.header[0].value == "已收到，等待工作人员查看"
    assert at.query_params["code"] == second


@pytest.mark.parametrize("lang, words", [
    ("zh", ["收到了你的上报，等待工作人员查看", "工作人员已签收", "已交给负责的单位处理", "工作人员回复",
            "处理人员到了现场", "处理单位说已处理好，等待工作人员核实"]),
    ("en", ["We received your report; staff will look at it", "Staff signed for it",
            "Passed to the unit that will handle it", "Staff replied", "Someone went to the place",
            "The unit says it is done; waiting for staff to check"]),
])
def test_the_timeline_says_every_public_step_and_word_in_plain_language(file_report, lang, words):
    code = file_report()
    eng, staff, rid = desk(code)
    triage.sign(eng, staff, rid)
    with session_scope(eng) as s:
        unit = accounts_queries.add_unit(s, "沙柳村村委会").id
        handler = User(username="h", display_name="村委老王", role="handler", unit_id=unit)
        s.add(handler)
    triage.dispatch(eng, staff, rid, unit, "内部：明早前处理。")
    triage.reply(eng, staff, rid, "已经安排村里清运，请耐心等待。")
    triage.on_site(eng, handler, rid)
    triage.resolve(eng, handler, rid, None, "已清理干净。")
    at = status_page(lang, code)
    shown = [m.value for m in at.markdown]
    steps = [next(m for m in shown if w in m) for w in words]
    assert [shown.index(m) for m in steps] == sorted((shown.index(m) for m in steps), reverse=True)  # newest first
    texts = [t.value for t in at.text]
    assert "已清理干净。" in texts and "已经安排村里清运，请耐心等待。" in texts
    assert "内部：明早前处理。" not in texts + shown
    assert not any(w in " ".join(shown) for w in ("待签收", "已派单", "Waiting to be signed for"))  # no desk jargon
    assert at.button[0].label == ("确认已经解决" if lang == "zh" else "Confirm it is fixed")


def test_the_photo_says_when_it_was_taken_in_local_time(app_env):
    from qingxi.ops.cli import setup
    from qingxi.reports import intake

    setup(load_demo=False)
    eng = engine_for(settings().database_url)
    with session_scope(eng) as s:
        where = intake.place(s, *phone_photos.RIVER, "gps")
    code = intake.submit(eng, intake.Submission([phone_photos.android_jpeg(21).data], "bank_litter", where)).code
    at = status_page(code=code)
    assert at.image[0].captions == ["照片拍摄于 2026-10-03 09:41"]  # the GPS instant, shown in Sanmen's time


def test_the_codes_this_phone_keeps_are_listed_with_where_they_stand(file_report):
    """What the browser's storage answered (ui.phone_codes) is listed: a report with its state, a
    sign-up the portal no longer knows as such; each can be forgotten."""
    code = file_report(category="sewage")
    at = open_app("zh")
    at.session_state["phone_codes_known"] = [{"kind": "report", "code": code}, {"kind": "signup", "code": "ZZZZ99"},
                                             {"kind": "<script>", "code": "x"}]
    at = open_page(at, "track")
    assert not at.exception
    assert "这部手机上的上报和报名" in [h.value for h in at.subheader]
    assert f"排污口排水 · {track_state('submitted')}" in [m.value for m in at.markdown]
    assert "查不到了" in [m.value for m in at.markdown]
    assert [b.label for b in at.button if b.key and b.key.startswith("forget")] == ["忘记", "忘记"]
    at.button(key=f"forgetreport{code}").click().run()
    assert at.session_state["forgotten_codes"] == [{"kind": "report", "code": code}]


def track_state(state: str) -> str:
    from qingxi.core import i18n

    return i18n.t(f"track.now.{state}", "zh")
