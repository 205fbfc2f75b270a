"""The pledge's text: versions kept (a new edit is a new version; every signature records the
version it signed), the demo text clearly marked as demo until staff write the real one."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from db import pledge_queries as q
from db.engine import session_scope
from db.models import PledgeText
from qingxi.core.acting import acting
from qingxi.pledge.rules import MAX_BODY, MAX_TITLE, PledgeError

DEMO_TITLE = "关于保护清溪母亲河的倡议书（演示文本）"
DEMO_BODY = ("清溪是沙柳人的母亲河。我们倡议：不向河道倾倒垃圾和污水；看到垃圾随手捡、发现问题随手拍；"
             "劝导家人和邻居爱河护河；积极参加志愿清洁日。让每一个沙柳人都成为清溪的守护者！\n\n"
             "（本文为演示文本，正式文本以街道人大工委发布为准。）")


@dataclass(frozen=True)
class Text:
    id: int
    version: int
    title: str
    body: str
    is_demo: bool
    created_at: datetime


def _text(row: PledgeText) -> Text:
    return Text(row.id, row.version, row.title, row.body, row.is_demo, row.created_at)


def current_text(engine: Engine) -> Text | None:
    with session_scope(engine) as s:
        row = q.latest_text(s)
        return None if row is None else _text(row)


def versions(engine: Engine) -> list[Text]:
    with session_scope(engine) as s:
        return [_text(r) for r in q.texts(s)]


def install_demo_text(engine: Engine) -> bool:
    """The demo text as version 1 when there is no text yet (demo data, a fresh install)."""
    with session_scope(engine) as s:
        if q.latest_text(s) is not None:
            return False
        s.add(PledgeText(version=1, title=DEMO_TITLE, body=DEMO_BODY, is_demo=True))
        return True


def edit_text(engine: Engine, user, title: str, body: str, *, now: datetime | None = None) -> int:
    """A new version of the text (staff); returns its version number. Earlier versions stay."""
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise PledgeError("text_needed")
    if len(title) > MAX_TITLE or len(body) > MAX_BODY:
        raise PledgeError("text_too_long", most=MAX_BODY)
    with acting(engine, user, "pledge.manage", now=now, write=True) as c:
        latest = q.latest_text(c.session)
        row = PledgeText(version=(latest.version if latest else 0) + 1, title=title, body=body, is_demo=False,
                         created_by_id=c.actor.id, created_at=c.at)
        c.session.add(row)
        c.session.flush()
        c.audit("pledge.text", {}, {"version": row.version}, entity="pledge_text", entity_id=row.id)
        return row.version
