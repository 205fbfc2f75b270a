"""After sending a report: what happens next in plain words, how to keep the code, and links that
use the address the portal was reached at unless QINGXI_PUBLIC_URL says otherwise."""
import pytest
from streamlit.testing.v1 import AppTest

from qingxi.core import qr
from qingxi.core.settings import current as settings
from tests.pages.conftest import open_page
from tests.support.photo_samples import gps_ifd, jpeg


def _send(lang: str, url: str | None, category: str = "floating_litter") -> AppTest:
    at = AppTest.from_file("../support/portal.py", default_timeout=60)
    at.context["locale"] = "zh-CN"
    if url:
        at.context["url"] = url
    at.query_params["lang"] = lang
    at = open_page(at.run(), "report")
    at.file_uploader[0].upload("river.jpg", jpeg((640, 480), gps=gps_ifd(121.398, 29.1492)), "image/jpeg").run()
    at.button(key=f"cat_{category}0").click().run()
    at = next(b for b in at.button if b.label in ("提交上报", "Send report")).click().run()
    assert not at.exception
    return at


@pytest.fixture
def printed(monkeypatch) -> list[str]:
    """Every address the pages turned into a QR code."""
    seen: list[str] = []
    real = qr.png
    monkeypatch.setattr(qr, "png", lambda data, **kw: seen.append(data) or real(data, **kw))
    return seen


def test_the_receipt_says_what_happens_next_and_how_to_keep_the_code(app_env, printed):
    at = _send("zh", "http://192.168.1.20:8501/report")
    code = at.session_state["my_reports"][0]
    words = " ".join(m.value for m in at.markdown)
    assert "接下来会怎样" in [h.value for h in at.subheader]
    assert "**30 分钟** 内签收" in words and "**4 小时** 内派给" in words and "**7 天** 内处理完" in words
    assert at.info[0].value.startswith("请保存追踪码")
    assert [c.value for c in at.code] == [code]  # st.code: one tap copies it
    (save,) = at.get("download_button")
    assert save.proto.label == "保存二维码图片"
    assert printed[-1] == f"http://192.168.1.20:8501/track?code={code}"  # the address this phone used


def test_an_urgent_report_is_promised_in_minutes_in_english(app_env, printed):
    at = _send("en", "https://river.example.org/qingxi/report", category="sewage")
    code = at.session_state["my_reports"][0]
    words = " ".join(m.value for m in at.markdown)
    assert "hand it to the unit that fixes it within **1 minute**" in words and "handled as urgent" in words
    assert printed[-1] == f"https://river.example.org/qingxi/track?code={code}"  # behind a path prefix too


def test_qingxi_public_url_wins_over_the_address_reached(app_env, printed, monkeypatch):
    monkeypatch.setenv("QINGXI_PUBLIC_URL", "https://qingxi.example.cn/")
    settings.cache_clear()
    at = _send("zh", "http://127.0.0.1:8501/report")
    assert printed[-1] == f"https://qingxi.example.cn/track?code={at.session_state['my_reports'][0]}"


def test_without_a_browser_address_the_request_host_or_the_default(app_env, printed):
    at = _send("zh", None)  # AppTest sends no headers: the default stands
    assert printed[-1] == f"http://localhost:8501/track?code={at.session_state['my_reports'][0]}"
