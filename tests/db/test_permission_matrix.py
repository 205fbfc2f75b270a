"""Who may do what, end to end: every service action × every role, on SQLite and PostgreSQL.

An allowed call goes through; a refused one raises permissions.Denied and leaves every table
exactly as it was (the report row, its history and photos, the audit log, accounts, settings).
The expectations are written out here, not read from permissions.RULES, so a change to the rules
has to be made twice on purpose.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from db.engine import session_scope
from db.models import (
    AuditEntry,
    Base,
    Photo,
    Report,
    ResponseTemplate,
    RoutingRule,
    StatusChange,
    User,
)
from qingxi import accounts
from qingxi.core.permissions import Denied
from qingxi.reports import clocks, routing, triage

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
ROLES = ("public", "deputy", "staff", "own_handler", "other_handler", "admin", "disabled_admin")
STAFF = {"staff", "admin"}
UNIT = STAFF | {"own_handler"}
DESK = STAFF | {"own_handler", "other_handler"}
ADMIN = {"admin"}


@dataclass
class World:
    engine: object
    users: dict          # role name → User (public: None)
    u1: int              # the report's unit (own_handler's)
    u2: int
    v1: int


@pytest.fixture
def w(people) -> World:
    with session_scope(people.engine) as s:
        # an admin, not People's disabled staff account: switched off, even the admin's rights are gone
        gone = User(username="gone_admin", display_name="离任管理员", role="admin", disabled=True)
        s.add(gone)
        s.flush()
    users = {"public": None, "deputy": people.deputy, "staff": people.staff, "own_handler": people.handler,
             "other_handler": people.other_handler, "admin": people.admin, "disabled_admin": gone}
    return World(people.engine, users, people.unit, people.other_unit, people.village)


def new_report(w: World, state: str = "submitted", **kw) -> int:
    unit = w.u1 if state in ("dispatched", "in_progress", "resolved") else None
    fields = dict(code=uuid.uuid4().hex[:8].upper(), category="bank_litter", lon=121.40, lat=29.15,
                  location_source="gps", state=state, created_at=T0, village_id=w.v1, unit_id=unit,
                  priority="normal", description="电话 13800001234 王大姐", reporter_phone="13800001234",
                  reporter_name="王大姐") | kw
    with session_scope(w.engine) as s:
        r = Report(**fields)
        r.history = [StatusChange(to_state="submitted", at=T0)]
        r.photos = [Photo(kind="report", sha256=uuid.uuid4().hex * 2, public_name=f"{uuid.uuid4().hex}.jpg",
                          thumb_name=f"{uuid.uuid4().hex}.jpg", width=10, height=10)]
        s.add(r)
        s.flush()
        return r.id


def photo_of(w: World, report_id: int) -> int:
    with session_scope(w.engine) as s:
        return s.scalar(select(Photo.id).where(Photo.report_id == report_id))


def new_user(w: World, role: str = "deputy") -> int:
    with session_scope(w.engine) as s:
        user = User(username=f"u{uuid.uuid4().hex[:8]}", display_name="某人", role=role)
        s.add(user)
        s.flush()
        return user.id


def new_rule(w: World) -> int:
    with session_scope(w.engine) as s:
        rule = RoutingRule(category="sewage", village_id=w.v1, unit_id=w.u1)
        s.add(rule)
        s.flush()
        return rule.id


def new_template(w: World) -> int:
    with session_scope(w.engine) as s:
        row = ResponseTemplate(state="signed", title="已签收", text="我们已收到。")
        s.add(row)
        s.flush()
        return row.id


def snapshot(engine) -> dict:
    """Every row of every table (the whole database: nothing may change on a refusal)."""
    with engine.connect() as conn:
        return {table.name: conn.execute(select(table).order_by(*table.primary_key.columns)).all()
                for table in Base.metadata.sorted_tables}


def audit_count(engine) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


# name → (who may, prepare(w) → argument, call(w, user, argument))
def _on(state: str, **kw):
    return lambda w: new_report(w, state, **kw)


ACTIONS = {
    "triage.sign": (STAFF, _on("submitted"), lambda w, u, r: triage.sign(w.engine, u, r)),
    "triage.verify": (STAFF, _on("signed"), lambda w, u, r: triage.verify(w.engine, u, r, "看过了")),
    "triage.set_priority": (STAFF, _on("submitted"), lambda w, u, r: triage.set_priority(w.engine, u, r, "urgent")),
    "triage.merge": (STAFF, lambda w: (new_report(w), new_report(w)),
                     lambda w, u, r: triage.merge(w.engine, u, r[0], r[1], "重复")),
    "triage.refer": (STAFF, _on("submitted"), lambda w, u, r: triage.refer(w.engine, u, r, "归水利局管")),
    "triage.hide": (STAFF, _on("submitted"), lambda w, u, r: triage.hide(w.engine, u, r, "广告")),
    "triage.dispatch": (STAFF, _on("signed"), lambda w, u, r: triage.dispatch(w.engine, u, r, w.u1, "请处理")),
    "triage.call_back": (STAFF, _on("signed"), lambda w, u, r: triage.call_back(w.engine, u, r, "已回电")),
    "triage.on_site": (UNIT, _on("dispatched"), lambda w, u, r: triage.on_site(w.engine, u, r, "到了")),
    "triage.progress": (UNIT, _on("dispatched"), lambda w, u, r: triage.progress(w.engine, u, r, "在清理")),
    "triage.request_transfer": ({"own_handler"}, _on("dispatched"),
                                lambda w, u, r: triage.request_transfer(w.engine, u, r, "不归我们")),
    "triage.resolve": (UNIT, _on("dispatched"), lambda w, u, r: triage.resolve(w.engine, u, r, None, "清完了")),
    "triage.send_back": (STAFF, _on("resolved"), lambda w, u, r: triage.send_back(w.engine, u, r, "没清干净")),
    "triage.close_fixed": (STAFF, _on("resolved"), lambda w, u, r: triage.close_fixed(w.engine, u, r, "已解决")),
    "triage.close_unfixed": (STAFF, _on("signed"), lambda w, u, r: triage.close_unfixed(w.engine, u, r, "无法处理")),
    "triage.reopen": (STAFF, _on("fixed"), lambda w, u, r: triage.reopen(w.engine, u, r, "又有了")),
    "triage.reply": (UNIT, _on("dispatched"), lambda w, u, r: triage.reply(w.engine, u, r, "正在处理", True)),
    "triage.note": (UNIT, _on("dispatched"), lambda w, u, r: triage.reply(w.engine, u, r, "内部备注", False)),
    "triage.hide_photo": (STAFF, lambda w: photo_of(w, new_report(w)),
                          lambda w, u, p: triage.hide_photo(w.engine, u, p, "照片里有人脸")),
    "triage.redact": (STAFF, _on("submitted"),
                      lambda w, u, r: triage.redact(w.engine, u, r, "（已删去个人信息）", "含电话")),
    "accounts.invite": (ADMIN, lambda w: f"new{uuid.uuid4().hex[:6]}",
                        lambda w, u, name: accounts.invite(w.engine, u, name, "新人", "deputy")),
    "accounts.disable_user": (ADMIN, lambda w: new_user(w), lambda w, u, i: accounts.disable_user(w.engine, u, i)),
    "accounts.enable_user": (ADMIN, lambda w: new_user(w), lambda w, u, i: accounts.enable_user(w.engine, u, i)),
    "accounts.set_role": (ADMIN, lambda w: new_user(w),
                          lambda w, u, i: accounts.set_role(w.engine, u, i, "staff", None)),
    "clocks.set_target": (ADMIN, lambda w: None, lambda w, u, _: clocks.set_target(w.engine, u, "urgent", "sign", 45)),
    "routing.add_rule": (ADMIN, lambda w: None,
                                lambda w, u, _: routing.add_rule(w.engine, u, "sewage", w.v1, w.u2)),
    "routing.delete_rule": (ADMIN, new_rule, lambda w, u, i: routing.delete_rule(w.engine, u, i)),
    "routing.add_template": (ADMIN, lambda w: None,
                                    lambda w, u, _: routing.add_template(w.engine, u, "signed", "收到", "已收到。")),
    "routing.edit_template": (ADMIN, new_template,
                                     lambda w, u, i: routing.edit_template(w.engine, u, i, "收到", "新的话。")),
    "routing.delete_template": (ADMIN, new_template,
                                       lambda w, u, i: routing.delete_template(w.engine, u, i)),
}


@pytest.mark.parametrize("name", list(ACTIONS))
def test_every_action_for_every_role(w, name):
    allowed, prepare, call = ACTIONS[name]
    outcome = {}
    for role in ROLES:
        argument = prepare(w)
        before, entries = snapshot(w.engine), audit_count(w.engine)
        try:
            call(w, w.users[role], argument)
        except Denied:
            outcome[role] = "refused"
            assert snapshot(w.engine) == before, f"{name} refused for {role} but changed something"
        else:
            outcome[role] = "allowed"
            assert audit_count(w.engine) == entries + 1, f"{name} by {role}: exactly one audit entry"
    assert outcome == {r: "allowed" if r in allowed else "refused" for r in ROLES}


# --- the reads: the queue, one report's details, the settings lists, the audit log -----------------

def _reads(w: World, role: str, report_id: int) -> dict[str, bool]:
    user, found = w.users[role], {}
    reads = {
        "queue": lambda s: triage.queue(s, user),
        "detail": lambda s: triage.detail(s, user, report_id),
        "rules": lambda s: routing.rules(s, user),
        "templates": lambda s: routing.templates(s, user),
    }
    for name, read in reads.items():
        with session_scope(w.engine) as s:
            try:
                read(s)
                found[name] = True
            except Denied:
                found[name] = False
    try:
        from qingxi.core import audit
        audit.history(w.engine, user)
        found["audit"] = True
    except Denied:
        found["audit"] = False
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_read_for_every_role(w, role):
    rid = new_report(w, "dispatched")
    before = snapshot(w.engine)
    assert _reads(w, role, rid) == {
        "queue": role in DESK, "detail": role in UNIT, "rules": role in ADMIN,
        "templates": role in ADMIN, "audit": role in ADMIN,
    }
    assert snapshot(w.engine) == before  # reading never writes


def test_the_queue_of_each_handler_is_their_units_work(w):
    rid = new_report(w, "dispatched")
    with session_scope(w.engine) as s:
        assert [i.id for i in triage.queue(s, w.users["own_handler"]).items] == [rid]
        assert triage.queue(s, w.users["other_handler"]).items == []
        assert [i.id for i in triage.queue(s, w.users["staff"]).items] == [rid]


# --- every page × every role: the page refuses by itself, whatever the navigation shows ----------

from streamlit.testing.v1 import AppTest  # noqa: E402

from tests.pages.conftest import sign_in_as  # noqa: E402,F401 - the fixture, shared with tests/pages

REFUSALS = {
    "triage": ("你没有权限查看或办理这项工作。", {"staff", "handler", "admin"}),
    "accounts": ("只有管理员可以管理账号。", {"admin"}),
    "settings": ("只有管理员可以修改设置。", {"admin"}),
    "signs": ("这一页只对工作人员开放，请先登录。", {"staff", "admin"}),
}
PUBLIC_PAGES = ("home", "report", "track", "map", "signin")
PAGE_ROLES = ("public", "deputy", "staff", "handler", "admin", "disabled_admin")


def _page(name: str) -> None:
    import importlib

    importlib.import_module(f"pages.{name}").render()


def _open(name: str) -> AppTest:
    return AppTest.from_function(_page, args=(name,), default_timeout=60).run()


@pytest.mark.parametrize("role", PAGE_ROLES)
def test_every_page_for_every_role(sign_in_as, role):
    from db.engine import engine_for
    from qingxi.core.settings import current

    if role == "disabled_admin":
        gone = sign_in_as("admin", "gone-admin")
        with session_scope(engine_for(current().database_url)) as s:
            s.get(User, gone.id).disabled = True
    elif role != "public":
        sign_in_as(role)
    for name, (refusal, allowed) in REFUSALS.items():
        at = _open(name)
        assert not at.exception, (name, role)
        errors = [e.value for e in at.error]
        if role in allowed:
            assert refusal not in errors and at.title, (name, role)
        else:
            assert errors == [refusal] and not at.title, (name, role)
    for name in PUBLIC_PAGES:
        at = _open(name)
        assert not at.exception, (name, role)
        assert not {e.value for e in at.error} & {r for r, _ in REFUSALS.values()}, (name, role)
        assert at.title or at.markdown, (name, role)
