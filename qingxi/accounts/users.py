"""Accounts: argon2id passwords, database-backed browser sessions, slowing down guessing, and the
admin's actions on users (each one audited)."""
from __future__ import annotations

import hashlib
import math
import re
import secrets
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db import accounts_queries as queries
from db.engine import session_scope
from db.models import User, utcnow
from qingxi.core import audit, permissions
from qingxi.core.refusals import Refusal

ROLES = ("deputy", "staff", "handler", "admin")
COOKIE = "qx_session"  # holds the session token; set by web.auth, read by ui.current_user
SESSION_LIFETIME = timedelta(days=14)
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES = 5
MIN_PASSWORD = 8
USERNAME = re.compile(r"[a-z0-9_.+@-]{3,50}")  # '@': single sign-on accounts are named by e-mail

_hasher = PasswordHasher()  # argon2-cffi's defaults are argon2id (RFC 9106 low-memory profile)


class AccountError(Refusal):
    """Bad input or a refused change; `key` names the message (auth.error.<key>)."""

    area = "auth"


class SignInError(AccountError):
    """Sign-in refused. Only two keys: `wrong` (whatever was wrong) and `slowed` (with minutes)."""


def normalise(username: str) -> str:
    return username.strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def _verify(stored: str | None, password: str) -> bool:
    """Always runs one argon2 verification, so a missing account takes as long as a wrong password."""
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("short_password", n=MIN_PASSWORD)


def _check_role(session: Session, role: str, unit_id: int | None) -> None:
    if role not in ROLES:
        raise AccountError("bad_role")
    if role == "handler" and unit_id is None:
        raise AccountError("unit_needed")
    if unit_id is not None and not queries.unit_exists(session, unit_id):
        raise AccountError("unknown_unit")


def create_user(session: Session, username: str, display_name: str, role: str, password: str,
                unit_id: int | None = None, is_demo: bool = False) -> User:
    name = normalise(username)
    if not USERNAME.fullmatch(name):
        raise AccountError("bad_username")
    if not display_name.strip():
        raise AccountError("name_needed")
    _check_password(password)
    _check_role(session, role, unit_id)
    if queries.user_by_name(session, name) is not None:
        raise AccountError("username_taken")
    try:
        with session.begin_nested():  # a simultaneous twin loses on the unique index, cleanly
            return queries.add_user(session, User(username=name, display_name=display_name.strip(), role=role,
                                               unit_id=unit_id, password_hash=hash_password(password),
                                               is_demo=is_demo))
    except IntegrityError:
        raise AccountError("username_taken") from None


def _wait(session: Session, username: str, address: str, now: datetime) -> timedelta | None:
    """How long this name and address must wait, when they have failed too often lately."""
    recent = queries.failures_since(session, username, address, now - FAILURE_WINDOW)
    if len(recent) < MAX_FAILURES:
        return None
    return recent[MAX_FAILURES - 1] + FAILURE_WINDOW - now  # until the 5th latest failure ages out


def sign_in(engine: Engine, username: str, password: str, address: str, now: datetime | None = None) -> str:
    """A new session token for the right password; SignInError otherwise. The error never tells
    whether the account exists, is disabled or only the password was wrong."""
    now = now or utcnow()
    name, address = normalise(username)[:50], address[:64]
    with session_scope(engine) as s:
        wait = _wait(s, name, address, now)
        if wait is not None:
            raise SignInError("slowed", minutes=max(1, math.ceil(wait.total_seconds() / 60)))
        user = queries.user_by_name(s, name)
        ok = _verify(user.password_hash if user else None, password) and not user.disabled
        if not ok:
            queries.clear_failures(s, name, address, before=now - FAILURE_WINDOW)  # keep the table small
            queries.add_failure(s, name, address, now)
        else:
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            queries.clear_failures(s, name, address)
            queries.delete_sessions(s, user.id, expired_before=now)
            token = secrets.token_urlsafe(32)
            queries.add_session(s, user.id, token_hash(token), now + SESSION_LIFETIME)
    if not ok:  # raised after the commit, so the failure is counted
        raise SignInError("wrong")
    return token


def user_for_token(session: Session, token: str | None, now: datetime | None = None) -> User | None:
    if not token:
        return None
    return queries.user_for_token_hash(session, token_hash(token), now or utcnow())


def user_for_email(session: Session, email: str | None) -> User | None:
    """The account a single sign-on identity maps to: the one whose username is that e-mail.
    Nobody gets in by signing on alone: an admin must have opened the account."""
    if not email:
        return None
    user = queries.user_by_name(session, email.strip().lower())
    return None if user is None or user.disabled else user


def sign_out(engine: Engine, token: str | None) -> None:
    if token:
        with session_scope(engine) as s:
            queries.delete_session(s, token_hash(token))


# --- the admin's actions -----------------------------------------------------------------------

def _public(user: User) -> dict:
    """What the audit log may say about an account: never the password or its hash."""
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "unit_id": user.unit_id, "disabled": user.disabled}


def _audit(s: Session, actor: User | None, action: str, user: User, before: dict, after: dict) -> None:
    audit.record(s, actor, action, "user", user.id, before, after)


def _admin(engine: Engine, admin: User | None) -> User:
    """The admin as the database has them now (they may have been disabled since the page loaded)."""
    with session_scope(engine) as s:
        current = queries.user_by_id(s, admin.id) if admin is not None else None
    permissions.require(current, "users.manage")
    return current


def _target(s: Session, actor: User, user_id: int) -> User:
    user = queries.user_by_id(s, user_id)
    if user is None:
        raise AccountError("unknown_user")
    if user.id == actor.id:  # an admin locking themselves out leaves nobody to undo it
        raise AccountError("not_yourself")
    return user


def add_account(session: Session, actor: User | None, username: str, display_name: str, role: str,
                password: str, unit_id: int | None = None, is_demo: bool = False) -> User:
    """create_user plus its audit entry (actor None: the command line)."""
    user = create_user(session, username, display_name, role, password, unit_id, is_demo)
    _audit(session, actor, "user.create", user, {}, _public(user))
    return user


def invite(engine: Engine, admin: User, username: str, display_name: str, role: str,
           unit_id: int | None = None) -> str:
    """Create an account and return its one-time password, to be shown to the admin once."""
    password = secrets.token_urlsafe(12)
    actor = _admin(engine, admin)
    with session_scope(engine) as s:
        add_account(s, actor, username, display_name, role, password, unit_id)
    return password


def disable_user(engine: Engine, admin: User, user_id: int) -> int:
    """Disable the account and end all its sessions at once; returns how many were ended."""
    actor = _admin(engine, admin)
    with session_scope(engine) as s:
        user = _target(s, actor, user_id)
        before = _public(user)
        user.disabled = True
        ended = queries.delete_sessions(s, user.id)
        _audit(s, actor, "user.disable", user, before, {**_public(user), "sessions_ended": ended})
    return ended


def enable_user(engine: Engine, admin: User, user_id: int) -> None:
    actor = _admin(engine, admin)
    with session_scope(engine) as s:
        user = _target(s, actor, user_id)
        before = _public(user)
        user.disabled = False
        _audit(s, actor, "user.enable", user, before, _public(user))


def set_role(engine: Engine, admin: User, user_id: int, role: str, unit_id: int | None) -> None:
    actor = _admin(engine, admin)
    with session_scope(engine) as s:
        user = _target(s, actor, user_id)
        _check_role(s, role, unit_id)
        before = _public(user)
        user.role, user.unit_id = role, unit_id
        _audit(s, actor, "user.role", user, before, _public(user))


def people(session: Session) -> list[User]:
    """Every account, by username, with its unit (for the admins' list)."""
    return queries.users(session)


def units(session: Session) -> dict[int, str]:
    """The active units by name, for choosing one."""
    return {u.id: u.name for u in queries.active_units(session)}
