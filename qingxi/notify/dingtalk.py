"""apprise's DingTalk robot and WeCom group bot plugins (apprise 2.3.0, pinned) with corrections,
registered for `dingtalk://` and `wecombot://` in their place when qingxi.notify is imported:

- DingTalk: the signature is URL-encoded once: apprise quotes it and then hands it to requests as
  a query parameter, which quotes it again, and DingTalk answers "sign not match" (errcode 310000);
- both answer a refused message with HTTP 200 and an `errcode` (DingTalk: sign not match, 130101
  "send too fast"; WeCom: 45009 "api freq out of limit", 93000 a bad key): apprise counts any 200
  as delivered; here a non-zero errcode is a failure, so the worker retries instead of losing the
  message. (Feishu's plugin already checks its `code`.)
"""
from __future__ import annotations

import json

import requests
from apprise.manager_plugins import NotificationManager
from apprise.plugins.dingtalk import NotifyDingTalk
from apprise.plugins.wecombot import NotifyWeComBot


def post_checked(plugin, service: str, url: str, payload: dict, params: dict | None = None) -> bool:
    """POST the JSON payload; delivered only on HTTP 200 with errcode 0 (or none)."""
    plugin.throttle()
    try:
        r = requests.post(url, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                          headers={"User-Agent": plugin.app_id, "Content-Type": "application/json; charset=utf-8"},
                          params=params, verify=plugin.verify_certificate, timeout=plugin.request_timeout,
                          allow_redirects=plugin.redirects)
    except requests.RequestException as err:
        plugin.logger.warning(f"{service} unreachable: {err.__class__.__name__}")
        return False
    if r.status_code != requests.codes.ok:
        plugin.logger.warning(f"{service} refused: HTTP {r.status_code}")
        return False
    try:
        answer = r.json()
    except ValueError:
        answer = {}
    if answer.get("errcode", 0) != 0:
        plugin.logger.warning(f"{service} refused: errcode {answer.get('errcode')} {str(answer.get('errmsg'))[:80]}")
        return False
    return True


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
        return post_checked(self, "DingTalk", self.notify_url.format(token=self.token), payload, params)


class WeComBot(NotifyWeComBot):
    def send(self, body: str, title: str = "", notify_type=None, **kwargs) -> bool:
        # the bot has no title: apprise has put it on the body's first line (title_maxlen 0)
        return post_checked(self, "WeCom", self.api_url, {"msgtype": "text", "text": {"content": body}})


def install() -> None:
    NotificationManager().add(DingTalkRobot, schemas="dingtalk", force=True)
    NotificationManager().add(WeComBot, schemas="wecombot", force=True)
