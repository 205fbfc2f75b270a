"""A local SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message it takes: who it was for
and its decoded subject and text. `mailto_url()` is the apprise URL of a person channel that
sends through it, `{to}` where each person's address goes."""
from __future__ import annotations

import email
import email.policy
import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

SENDER = "guardian@qingxi.example"


@dataclass
class Mail:
    to: list[str]
    subject: str
    text: str


@dataclass
class Inbox:
    port: int = 0
    mails: list[Mail] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain", "html"))
        with self.lock:
            self.mails.append(Mail([str(r) for r in envelope.rcpt_tos], str(message["subject"] or ""),
                                   body.get_content() if body is not None else ""))
        return "250 OK"

    def mailto_url(self) -> str:
        return f"mailto://127.0.0.1:{self.port}?mode=insecure&from={SENDER}&to={{to}}"

    def received(self) -> list[Mail]:
        with self.lock:
            return list(self.mails)


def _free_port() -> int:
    with socket.socket() as probe:  # aiosmtpd's controller checks its port by connecting: no port 0
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server():
    inbox = Inbox(port=_free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
