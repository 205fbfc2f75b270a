"""A local HTTP receiver for the group bots whose apprise plugins post to a fixed host — WeCom
(`wecombot://KEY`, qyapi.weixin.qq.com) and Feishu (`feishu://TOKEN`, open.feishu.cn): apprise's
URLs for them name no host, so `pointed_at(plugin)` redirects the plugin's `notify_url` (a class
attribute) to this receiver, and apprise builds and posts the request itself. The receiver keeps
each request (path, query, headers, JSON body) and answers as the real service does: HTTP 200 with
`answer` (WeCom `{"errcode": 0}`, Feishu `{"code": 0}`), which a test may change to a refusal."""
from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@dataclass
class Request:
    path: str
    query: dict[str, list[str]]
    content_type: str
    body: dict


@dataclass
class Receiver:
    answer: dict
    port: int = 0
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def received(self) -> list[Request]:
        with self.lock:
            return list(self.requests)


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def do_POST(self):  # noqa: N802
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            url = urlparse(self.path)
            with receiver.lock:
                receiver.requests.append(Request(url.path, parse_qs(url.query), self.headers.get("Content-Type", ""),
                                                 json.loads(raw.decode("utf-8") or "{}")))
                data = json.dumps(receiver.answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
    return Handler


@contextmanager
def pointed_at(plugin, path: str, answer: dict):
    """A receiver on 127.0.0.1 and `plugin.notify_url` (e.g. ".../send?key={key}") pointed at it."""
    receiver = Receiver(answer=answer)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    server.daemon_threads = True
    receiver.port = server.server_port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    original = plugin.notify_url
    plugin.notify_url = f"http://127.0.0.1:{server.server_port}{path}"
    try:
        yield receiver
    finally:
        plugin.notify_url = original
        server.shutdown()
        server.server_close()
