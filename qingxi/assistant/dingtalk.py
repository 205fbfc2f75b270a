"""DingTalk's outgoing robot (企业内部机器人, HTTP callback): a villager @-mentions the robot in a group
chat; DingTalk POSTs the message with headers `timestamp` (ms) and `sign` = base64(HMAC-SHA256(key =
the robot's appSecret, message = timestamp + "\\n" + appSecret)). A call more than an hour off, or
whose sign differs, is refused. The answer goes back in the response body (DingTalk's text message);
a person's later reply goes through the session webhook the callback gave, while it is valid, and
only to the configured DingTalk address (no other host is ever called).

Configuration: QINGXI_DINGTALK_SECRET (the appSecret; unset = the callback is off) and
QINGXI_DINGTALK_WEBHOOK_PREFIX (default https://oapi.dingtalk.com/)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import datetime, timezone

import httpx

WINDOW_MS = 60 * 60 * 1000
DEFAULT_PREFIX = "https://oapi.dingtalk.com/"


def secret() -> str | None:
    return os.environ.get("QINGXI_DINGTALK_SECRET") or None


def webhook_prefix() -> str:
    return os.environ.get("QINGXI_DINGTALK_WEBHOOK_PREFIX") or DEFAULT_PREFIX


def sign(timestamp: str, app_secret: str) -> str:
    digest = hmac.new(app_secret.encode(), f"{timestamp}\n{app_secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify(timestamp: str | None, signature: str | None, app_secret: str, now: datetime) -> bool:
    """True for a call DingTalk signed within the last hour (either side)."""
    if not timestamp or not signature or not timestamp.isdigit():
        return False
    if abs(int(now.timestamp() * 1000) - int(timestamp)) > WINDOW_MS:
        return False
    return hmac.compare_digest(sign(timestamp, app_secret), signature)


@dataclass(frozen=True)
class Message:
    text: str
    webhook: str | None
    webhook_expires_at: datetime | None
    sender_staff_id: str | None
    chat: str | None  # the group's conversationId


def parse(body: object) -> Message | None:
    """The question in a callback's JSON (None when it carries no text)."""
    if not isinstance(body, dict) or body.get("msgtype") != "text":
        return None
    content = (body.get("text") or {}).get("content") if isinstance(body.get("text"), dict) else None
    if not isinstance(content, str) or not content.strip():
        return None
    hook = body.get("sessionWebhook")
    hook = hook if isinstance(hook, str) and hook.startswith(webhook_prefix()) else None
    expires = body.get("sessionWebhookExpiredTime")
    expires_at = (datetime.fromtimestamp(int(expires) / 1000, timezone.utc)
                  if isinstance(expires, (int, str)) and str(expires).isdigit() else None)
    staff, chat = body.get("senderStaffId"), body.get("conversationId")
    return Message(content.strip(), hook, expires_at, staff if isinstance(staff, str) else None,
                   chat if isinstance(chat, str) else None)


def text_message(words: str, at_staff: str | None = None) -> dict:
    """DingTalk's text message, @-mentioning the asker when known."""
    body: dict = {"msgtype": "text", "text": {"content": words}}
    if at_staff:
        body["at"] = {"atUserIds": [at_staff], "isAtAll": False}
    return body


def deliver(webhook: str, words: str) -> None:
    """Post a person's reply into the group chat through the session webhook."""
    if not webhook.startswith(webhook_prefix()):
        raise ValueError("not a DingTalk webhook")
    httpx.post(webhook, json=text_message(words), timeout=10).raise_for_status()
