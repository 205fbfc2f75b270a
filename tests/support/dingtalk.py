"""A local HTTP receiver that behaves like a DingTalk custom robot: POST /robot/send with
`access_token`, `timestamp` and `sign` (base64 HMAC-SHA256 of "timestamp\\nsecret"), a JSON body,
and an `errcode` answer. It can be told to fail (HTTP 500), stall, or rate-limit (errcode 130101),
and it keeps every message it took, with whether its signature held.

apprise's DingTalk plugin always posts to oapi.dingtalk.com (no custom host), so `robots()`
redirects that one class attribute to this receiver: apprise still builds, signs and posts the
request itself, and the receiver checks it at the HTTP layer. A separate process (a real
`python -m qingxi worker`, a `streamlit run` server) gets the same redirect from `process_env`.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

TOKEN = "a1b2c3d4e5f6token"
SECRET = "SEC0123456789abcdefsecret"


def signature(timestamp: str, secret: str = SECRET) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@dataclass
class Message:
    token: str
    signed: bool
    body: dict
    at: float

    @property
    def text(self) -> str:
        return self.body.get("text", {}).get("content", "") or self.body.get("markdown", {}).get("text", "")


@dataclass
class Robot:
    port: int = 0
    mode: str = "ok"          # ok | fail | stall | limit
    stall_s: float = 6.0
    fail_times: int = 0       # answer 500 this many more times, then ok
    messages: list[Message] = field(default_factory=list)
    hits: int = 0
    endpoint: str = ""        # the robot URL apprise is pointed at (set by robots())
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, token: str = TOKEN, secret: str = SECRET) -> str:
        """The apprise URL of a channel on this robot (the port is in the token, so several
        robots can run at once behind the one redirected plugin URL)."""
        return f"dingtalk://{secret}@{token}p{self.port}/"

    @property
    def texts(self) -> list[str]:
        with self.lock:
            return [m.text for m in self.messages]


def _handler(robots: dict[int, Robot]):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def _answer(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):  # noqa: N802
            query = parse_qs(urlparse(self.path).query)
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            token = query.get("access_token", [""])[0]
            robot = robots.get(int(token.rsplit("p", 1)[-1])) if "p" in token else None
            if robot is None:
                return self._answer(404, {"errcode": 300001, "errmsg": "token not exist"})
            with robot.lock:
                robot.hits += 1
                mode = robot.mode
                if robot.fail_times > 0:
                    robot.fail_times -= 1
                    mode = "fail"
            if mode == "fail":
                return self._answer(500, {"errcode": -1, "errmsg": "system busy"})
            if mode == "stall":
                time.sleep(robot.stall_s)
                return self._answer(500, {"errcode": -1, "errmsg": "timeout"})
            if mode == "limit":
                return self._answer(429, {"errcode": 130101, "errmsg": "send too fast"})
            stamp = query.get("timestamp", [""])[0]
            fresh = stamp.isdigit() and abs(time.time() * 1000 - int(stamp)) < 3_600_000
            signed = fresh and hmac.compare_digest(query.get("sign", [""])[0], signature(stamp))
            with robot.lock:
                robot.messages.append(Message(token, signed, json.loads(raw or b"{}"), time.time()))
            if not signed:
                return self._answer(200, {"errcode": 310000, "errmsg": "sign not match"})
            return self._answer(200, {"errcode": 0, "errmsg": "ok"})
    return Handler


@contextmanager
def robots(count: int = 1):
    """`count` robots on one local server, apprise's DingTalk plugin pointed at it."""
    from apprise.plugins.dingtalk import NotifyDingTalk

    table: dict[int, Robot] = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(table))
    server.daemon_threads = True
    made = [Robot(port=n + 1) for n in range(count)]
    table.update({r.port: r for r in made})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    original = NotifyDingTalk.notify_url
    NotifyDingTalk.notify_url = f"http://127.0.0.1:{server.server_port}/robot/send?access_token={{token}}"
    for r in made:
        r.endpoint = NotifyDingTalk.notify_url
    try:
        yield made
    finally:
        NotifyDingTalk.notify_url = original
        server.shutdown()
        server.server_close()


REDIRECT = Path(__file__).resolve().parent / "dingtalk_redirect"


def process_env(robot: Robot, env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for another process whose DingTalk messages must reach `robot`'s server
    (a sitecustomize on its PYTHONPATH redirects apprise's plugin there)."""
    env = dict(os.environ if env is None else env)
    env["PYTHONPATH"] = os.pathsep.join(x for x in (str(REDIRECT), env.get("PYTHONPATH", "")) if x)
    env["QINGXI_TEST_DINGTALK_URL"] = robot.endpoint
    return env
