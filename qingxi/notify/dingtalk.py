"""apprise's DingTalk robot plugin (apprise 2.3.0, pinned) with two corrections, registered for
`dingtalk://` in its place when qingxi.notify is imported:

- the signature is URL-encoded once: apprise quotes it and then hands it to requests as a query
  parameter, which quotes it again, and DingTalk answers "sign not match" (errcode 310000);
- DingTalk answers a refused message with HTTP 200 and an `errcode` (sign not match, 130101 "send
  too fast"): apprise counts any 200 as delivered; here a non-zero errcode is a failure, so the
  worker retries instead of losing the message.
"""
from __future__ import annotations

import json

import requests
from apprise.manager_plugins import NotificationManager
from apprise.plugins.dingtalk import NotifyDingTalk


class DingTalkRobot(NotifyDingTalk):
    def get_signature(self):
        timestamp, quoted = super().get_signature()
        return timestamp, self.unquote(quoted)

    def send(self, body: str, title: str = "", notify_type=None, body_format=None, **kwargs) -> bool:
        payload = {"msgtype": "text", "at": {"atMobiles": self.targets, "isAtAll": False},
                   "text": {"content": f"{title}\r\n{body}" if title else body}}
        params = None
        if self.secret:
            timestamp, signature = self.get_signature()
            params = {"timestamp": timestamp, "sign": signature}
        self.throttle()
        try:
            r = requests.post(self.notify_url.format(token=self.token), data=json.dumps(payload),
                              headers={"User-Agent": self.app_id, "Content-Type": "application/json"},
                              params=params, verify=self.verify_certificate, timeout=self.request_timeout,
                              allow_redirects=self.redirects)
        except requests.RequestException as err:
            self.logger.warning(f"DingTalk unreachable: {err.__class__.__name__}")
            return False
        if r.status_code != requests.codes.ok:
            self.logger.warning(f"DingTalk refused: HTTP {r.status_code}")
            return False
        try:
            answer = r.json()
        except ValueError:
            answer = {}
        if answer.get("errcode", 0) != 0:
            self.logger.warning(f"DingTalk refused: errcode {answer.get('errcode')} {str(answer.get('errmsg'))[:80]}")
            return False
        return True


def install() -> None:
    NotificationManager().add(DingTalkRobot, schemas="dingtalk", force=True)
