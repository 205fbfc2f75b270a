"""What the WeCom and Feishu group bots receive, checked at the HTTP layer: apprise (pinned 2.3.0)
builds and posts each request to a local receiver (tests/support/webhooks.py; these plugins post to
a fixed host, so their notify_url is pointed at 127.0.0.1). The message is the one a duty group
gets for an urgent report: title, category, village, km and the desk link, in one text message."""
from __future__ import annotations

import pytest
from apprise.plugins.feishu import NotifyFeishu
from apprise.plugins.wecombot import NotifyWeComBot

from qingxi.core import settings
from qingxi.notify import channels, messages
from tests.support.webhooks import pointed_at

URGENT = {"report_id": 42, "category": "sewage", "priority": "urgent", "state": "submitted", "village": "沙柳村",
          "river_km": 3.456}
KEY = "0a1b2c3d-4e5f-6789-abcd-ef0123456789"
TOKEN = "f0e1d2c3-b4a5-9687-7869-5a4b3c2d1e0f"


@pytest.fixture(autouse=True)
def public_url(monkeypatch):
    monkeypatch.setenv("QINGXI_PUBLIC_URL", "https://qingxi.example")
    settings.current.cache_clear()
    yield
    settings.current.cache_clear()


def expected_text() -> str:
    title, body = messages.render("report.urgent", URGENT)
    assert title == "【清溪卫士】紧急上报"
    assert body == "紧急：排污口排水｜沙柳村｜清溪 3.46 公里。请立即签收：https://qingxi.example/triage?report=42"
    return f"{title}\r\n{body}"


def test_a_wecom_group_bot_gets_one_text_message_with_the_title_and_the_desk_link():
    with pointed_at(NotifyWeComBot, "/cgi-bin/webhook/send?key={key}", {"errcode": 0, "errmsg": "ok"}) as wecom:
        assert channels.send(f"wecombot://{KEY}", *messages.render("report.urgent", URGENT)) is None
    [request] = wecom.received()
    assert request.path == "/cgi-bin/webhook/send" and request.query == {"key": [KEY]}
    assert request.content_type.startswith("application/json")
    # the bot has no title field: apprise puts the title on the first line of the text
    assert request.body == {"msgtype": "text", "text": {"content": expected_text()}}


def test_a_feishu_group_bot_gets_one_text_message_with_the_title_and_the_desk_link():
    with pointed_at(NotifyFeishu, "/open-apis/bot/v2/hook/{token}/", {"code": 0, "msg": "success", "data": {}}) as feishu:
        assert channels.send(f"feishu://{TOKEN}", *messages.render("report.urgent", URGENT)) is None
    [request] = feishu.received()
    assert request.path == f"/open-apis/bot/v2/hook/{TOKEN}/" and request.content_type == "application/json"
    assert request.body == {"msg_type": "text", "content": {"text": expected_text()}}


def test_feishu_refusing_with_a_code_in_a_200_answer_is_a_failure_to_retry():
    with pointed_at(NotifyFeishu, "/open-apis/bot/v2/hook/{token}/", {"code": 9499, "msg": "Bad Request"}):
        assert channels.send(f"feishu://{TOKEN}", "t", "b") is not None


def test_wecom_refusing_with_an_errcode_in_a_200_answer_is_a_failure_to_retry():
    """WeCom answers a refused message (rate limit 45009, bad key 93000) with HTTP 200 and an errcode."""
    with pointed_at(NotifyWeComBot, "/cgi-bin/webhook/send?key={key}", {"errcode": 45009, "errmsg": "api freq out of limit"}):
        assert channels.send(f"wecombot://{KEY}", "t", "b") is not None
