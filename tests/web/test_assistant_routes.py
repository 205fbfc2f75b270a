"""POST /assistant/ask and the DingTalk callback over HTTP, as a client would call them: the JSON
answer, the hand-over and the reply coming back, bad bodies, the per-address limit, a signed
DingTalk call answered and unsigned, forged or stale ones refused, and a staff reply reaching the
group chat through a local fake of DingTalk's session webhook."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from db.engine import engine_for, session_scope
from db.models import Report, User
from qingxi import assistant
from qingxi.assistant import dingtalk
from web import assistant as routes

SECRET = "SECtest-app-secret"
PRIVATE = ("张秀兰", "13912345678", "张家后门")


@pytest.fixture
def world(app_env):
    from qingxi.core.settings import current
    from qingxi.ops.cli import setup

    setup(load_demo=False)
    engine = engine_for(current().database_url)
    with session_scope(engine) as s:
        s.add(Report(code="K8MEC6", category="sewage", state="dispatched", reporter_name="张秀兰",
                     reporter_phone="13912345678", description="张家后门的排污口又在排", lon=121.40, lat=29.15,
                     location_source="map"))
        staff = User(username="staff", display_name="梅站长", role="staff")
        s.add(staff)
    return engine, staff


@pytest.fixture
def client(world):
    with TestClient(Starlette(routes=routes.routes()), client=("203.0.113.5", 50123)) as c:
        yield c


def test_ask_answers_from_the_faq_in_json(client):
    r = client.post("/assistant/ask", json={"question": "我的电话会公开吗", "lang": "zh"})
    assert r.status_code == 200
    body = r.json()
    assert body["handover"] is False and "不会公开" in body["answer"]
    assert body["sources"][0]["key"] == "privacy.phone" and body["ref"]
    en = client.post("/assistant/ask", json={"question": "Is my phone number public?", "lang": "en"}).json()
    assert en["answer"].startswith("No.")


def test_ask_gives_a_report_state_by_code_and_nothing_private(client):
    body = client.post("/assistant/ask", json={"question": "我的举报 K8MEC6 怎么样了"}).json()
    assert "已交给负责的单位处理" in body["answer"] and body["handover"] is False
    assert not any(p in json.dumps(body, ensure_ascii=False) for p in PRIVATE)
    unknown = client.post("/assistant/ask", json={"question": "我的举报 K8MEC7 怎么样了"}).json()
    assert "没有找到" in unknown["answer"] and "已交给" not in unknown["answer"]


def test_a_hand_over_and_the_reply_by_conversation_code(client, world):
    engine, staff = world
    body = client.post("/assistant/ask", json={"question": "转人工"}).json()
    assert body["handover"] is True and body["conversation"] in body["answer"]
    [conv] = assistant.inbox(engine, staff)
    assistant.reply(engine, staff, conv.id, "明天上午有人去看。")
    back = client.post("/assistant/ask", json={"question": body["conversation"]}).json()
    assert "明天上午有人去看" in back["answer"]


def test_rating_an_answer(client):
    ref = client.post("/assistant/ask", json={"question": "怎么上报"}).json()["ref"]
    assert client.post("/assistant/rate", json={"ref": ref, "helpful": True}).json() == {"ok": True}
    assert client.post("/assistant/rate", json={"ref": "nope", "helpful": True}).status_code == 404


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"q": "x"}', b'{"question": 5}'])
def test_bad_bodies_are_refused(client, body):
    r = client.post("/assistant/ask", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400 and "question" in r.json()["error"]


def test_an_empty_question_is_refused_in_words(client):
    r = client.post("/assistant/ask", json={"question": "  ", "lang": "en"})
    assert r.status_code == 400 and r.json()["error"] == "Please type your question."


def test_asks_are_limited_per_address(world):
    app = Starlette(routes=routes.routes())
    with TestClient(app, client=("198.51.100.9", 1)) as c:
        codes = [c.post("/assistant/ask", json={"question": "怎么上报"}).status_code for _ in range(121)]
    assert codes[:120] == [200] * 120 and codes[120] == 429
    with TestClient(app, client=("198.51.100.10", 1)) as other:
        assert other.post("/assistant/ask", json={"question": "怎么上报"}).status_code == 200


# ---------------------------------------------------------------- DingTalk

class FakeDingTalk:
    """What DingTalk does: signs its calls with the robot's appSecret and receives replies posted
    to the session webhook it handed out."""

    def __init__(self):
        self.received: list[dict] = []
        outer = self

        class Hook(BaseHTTPRequestHandler):
            def do_POST(self):
                outer.received.append(json.loads(self.rfile.read(int(self.headers["content-length"]))))
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errcode":0}')

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Hook)
        self.prefix = f"http://127.0.0.1:{self.server.server_port}/robot/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def call(self, client, text: str, *, secret: str = SECRET, ms: int | None = None, signed: bool = True):
        ts = str(ms if ms is not None else int(time.time() * 1000))
        headers = {"timestamp": ts, "sign": dingtalk.sign(ts, secret)} if signed else {}
        body = {"msgtype": "text", "text": {"content": f" {text}"}, "conversationId": "cid-village-1",
                "senderStaffId": "user123", "senderNick": "杨大伯", "conversationType": "2",
                "sessionWebhook": self.prefix + "sendBySession?session=abc",
                "sessionWebhookExpiredTime": int(time.time() * 1000) + 3_600_000}
        return client.post("/hooks/dingtalk", json=body, headers=headers)


@pytest.fixture
def fake(monkeypatch):
    f = FakeDingTalk()
    monkeypatch.setenv("QINGXI_DINGTALK_SECRET", SECRET)
    monkeypatch.setenv("QINGXI_DINGTALK_WEBHOOK_PREFIX", f.prefix)
    yield f
    f.server.shutdown()


def test_dingtalk_answers_a_signed_call_in_its_message_format(client, fake):
    r = fake.call(client, "下次清理什么时候")
    assert r.status_code == 200
    body = r.json()
    assert body["msgtype"] == "text" and "清理日" in body["text"]["content"]
    assert body["at"]["atUserIds"] == ["user123"]


@pytest.mark.parametrize("how", ["unsigned", "forged", "stale"])
def test_dingtalk_refuses_unsigned_forged_and_stale_calls(client, fake, world, how):
    engine, staff = world
    if how == "unsigned":
        r = fake.call(client, "转人工", signed=False)
    elif how == "forged":
        r = fake.call(client, "转人工", secret="SECguessed")
    else:
        r = fake.call(client, "转人工", ms=int(time.time() * 1000) - 2 * 3_600_000)
    assert r.status_code == 401
    assert assistant.inbox(engine, staff) == []


def test_dingtalk_hand_over_and_the_staff_reply_reaches_the_group(client, fake, world):
    engine, staff = world
    r = fake.call(client, "转人工 河边护栏断了谁来修")
    assert "对话码" in r.json()["text"]["content"]
    [conv] = assistant.inbox(engine, staff)
    assert conv.channel == "dingtalk"
    assistant.reply(engine, staff, conv.id, "城建办明天去修。", deliver=dingtalk.deliver)
    assert fake.received == [{"msgtype": "text", "text": {"content": "工作人员回复：城建办明天去修。"}}]


def test_dingtalk_is_off_without_a_secret(client, monkeypatch):
    monkeypatch.delenv("QINGXI_DINGTALK_SECRET", raising=False)
    assert client.post("/hooks/dingtalk", json={}).status_code == 404
