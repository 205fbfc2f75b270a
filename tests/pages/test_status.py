"""The status page: follow a report by code, confirm it is fixed, say it is still there, rate."""
import pytest

from db.engine import engine_for
from qingxi import tracking
from qingxi.settings import current as settings
from tests.pages.conftest import open_app, open_page
from tests.unit.photo_samples import jpeg


def status_page(lang="zh", code=None):
    at = open_app(lang)
    if code:
        at.query_params["code"] = code
    return open_page(at, "track")


@pytest.mark.parametrize("lang, state, kind", [("zh", "待签收", "正在处理中。"), ("en", "Waiting to be signed for", "Being handled.")])
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
    assert at.header[0].value == "待签收"
    at.text_input(key="track_code").input("ZZZZZZ").run()
    assert "没有找到" in at.error[0].value


def test_confirm_fixed_then_rate(file_report):
    code = file_report()
    at = status_page(code=code)
    assert len(at.pills) == 0  # no rating while it is open
    at.button[0].click().run()
    assert at.header[0].value == "已解决" and "谢谢确认" in at.success[0].value
    at.pills(key="rating").set_value("satisfied").run()
    assert tracking.status(engine_for(settings().database_url), code).rating == "satisfied"


def test_still_there_needs_a_comment_and_reopens(file_report):
    code = file_report()
    eng = engine_for(settings().database_url)
    tracking.confirm_fixed(eng, code)
    at = status_page(code=code)
    at.button(key="FormSubmitter:still_there-问题还在，重新打开").click().run()
    assert "请说说现在的情况" in at.error[0].value
    assert tracking.status(eng, code).state == "fixed"
    at.text_area[0].input("岸边又堆满了")
    at.get("file_uploader")[0].upload("now.jpg", jpeg((500, 400)), "image/jpeg")
    at.button(key="FormSubmitter:still_there-问题还在，重新打开").click().run()
    assert tracking.status(eng, code).state == "reopened"
    assert at.header[0].value == "重新打开"
    assert "岸边又堆满了" in [t.value for t in at.text]


def test_my_reports_are_remembered_in_the_session(file_report):
    first, second = file_report(), file_report()
    at = status_page()
    at.session_state["my_reports"] = [first, second]
    at.run()
    at.button(key=f"mine{second}").click().run()
    assert at.header[0].value == "待签收"
    assert at.query_params["code"] == second
