"""Accounts: argon2id passwords, database-backed browser sessions and slowing down guessing."""
from __future__ import annotations

import hashlib
import math
import re
import secrets
import threading
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
from qingxi.core import audit
from qingxi.core.refusals import Refusal

ROLES = ("deputy", "staff", "handler", "admin", "representative")
COOKIE = "qx_session"  # holds the session token; set by web.auth, read by ui.current_user
SESSION_LIFETIME = timedelta(days=14)
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES = 5       # per name and address in FAILURE_WINDOW
ACCOUNT_FAILURES = 20  # per name from all addresses together in FAILURE_WINDOW
CHECKS_AT_ONCE = 4     # password checks running at once in one process
CHECK_WAIT_S = 20.0
MIN_PASSWORD = 8
USERNAME = re.compile(r"[a-z0-9_.+@-]{3,50}")  # '@': single sign-on accounts are named by e-mail

_hasher = PasswordHasher()  # argon2-cffi's defaults are argon2id (RFC 9106 low-memory profile)
_checks = threading.BoundedSemaphore(CHECKS_AT_ONCE)


class AccountError(Refusal):
    """Bad input or a refused change; `key` names the message (auth.error.<key>)."""

    area = "signin"


class SignInError(AccountError):
    """Sign-in refused: `wrong` (whatever was wrong), `slowed` (with minutes) or `busy` (too many
    sign-ins at this moment)."""


def normalise(username: str) -> str:
    return username.strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def verify(stored: str | None, password: str) -> bool:
    """Always runs one argon2 verification, so a missing account takes as long as a wrong password.
    At most CHECKS_AT_ONCE run at a time in a process (each takes ~64 MiB and a core for ~50 ms): a
    burst waits its turn instead of exhausting the machine, and gives up after CHECK_WAIT_S."""
    if not _checks.acquire(timeout=CHECK_WAIT_S):
        raise SignInError("busy")
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
    finally:
        _checks.release()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("short_password", n=MIN_PASSWORD)


def check_role(session: Session, role: str, unit_id: int | None) -> None:
    if role not in ROLES:
        raise AccountError("bad_role")
    if role == "handler" and unit_id is None:
        raise AccountError("unit_needed")
    if unit_id is not None and not queries.unit_exists(session, unit_id):
        raise AccountError("unknown_unit")


def create_user(session: Session, username: str, display_name: str, role: str, password: str,
                unit_id: int | None = None, is_demo: bool = False, must_change: bool = False) -> User:
    name = normalise(username)
    if not USERNAME.fullmatch(name):
        raise AccountError("bad_username")
    if not display_name.strip():
        raise AccountError("name_needed")
    _check_password(password)
    check_role(session, role, unit_id)
    if queries.user_by_name(session, name) is not None:
        raise AccountError("username_taken")
    try:
        with session.begin_nested():  # a simultaneous twin loses on the unique index, cleanly
            return queries.add_user(session, User(username=name, display_name=display_name.strip(), role=role,
                                               unit_id=unit_id, password_hash=hash_password(password),
                                               is_demo=is_demo, must_change_password=must_change))
    except IntegrityError:
        raise AccountError("username_taken") from None


def _wait(session: Session, username: str, address: str, now: datetime, attempt: int) -> timedelta | None:
    """How long this attempt must wait: this name from this address failed MAX_FAILURES times lately,
    or this name failed ACCOUNT_FAILURES times from anywhere (guessing spread over many addresses)."""
    since = now - FAILURE_WINDOW
    waits = []
    for where, most in ((address, MAX_FAILURES), (None, ACCOUNT_FAILURES)):
        recent = queries.failures_since(session, username, where, since, besides=attempt)
        if len(recent) >= most:
            waits.append(recent[most - 1] + FAILURE_WINDOW - now)  # until the most-th latest ages out
    return max(waits, default=None)


def sign_in(engine: Engine, username: str, password: str, address: str, now: datetime | None = None) -> str:
    """A new session token for the right password; SignInError otherwise. The error never tells
    whether the account exists, is disabled or only the password was wrong.

    The attempt is recorded (and committed) before it is counted, so simultaneous guesses all see
    each other: whatever the timing, no more than MAX_FAILURES passwords are checked per name and
    address in a window. A refused attempt is removed again (refusals are not failures); a wrong
    password stays as a failure; the right one clears that name and address."""
    now = now or utcnow()
    name, address = normalise(username)[:50], address[:64]
    with session_scope(engine) as s:
        queries.clear_failures(s, name, before=now - FAILURE_WINDOW)  # keep the table small
        attempt = queries.add_attempt(s, name, address, now)
    with session_scope(engine) as s:
        wait = _wait(s, name, address, now, attempt)
        if wait is not None:
            queries.remove_attempt(s, attempt)
        else:
            user = queries.user_by_name(s, name)
            stored = user.password_hash if user else None
    if wait is not None:
        raise SignInError("slowed", minutes=max(1, math.ceil(wait.total_seconds() / 60)))
    ok = verify(stored, password) and not user.disabled  # outside any transaction: it takes a while
    if not ok:
        raise SignInError("wrong")  # the attempt stays: a failure
    with session_scope(engine) as s:
        user = queries.user_by_name(s, name)
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        queries.clear_failures(s, name, address)
        queries.delete_sessions(s, user.id, expired_before=now)
        token = secrets.token_urlsafe(32)
        queries.add_session(s, user.id, token_hash(token), now + SESSION_LIFETIME)
    return token


def user_for_token(session: Session, token: str | None, now: datetime | None = None) -> User | None:
    if not token:
        return None
    return queries.user_for_token_hash(session, token_hash(token), now or utcnow())


def user_for_email(session: Session, email: str | None, verified: object) -> User | None:
    """The account a single sign-on identity maps to: the one whose username is that e-mail, and
    only when the provider says it verified the e-mail (`email_verified` is exactly true: anyone can
    type someone else's address at a provider that does not check). Nobody gets in by signing on
    alone: an admin must have opened the account."""
    if not email or verified is not True:
        return None
    user = queries.user_by_name(session, email.strip().lower())
    return None if user is None or user.disabled else user


def sign_out(engine: Engine, token: str | None) -> None:
    if token:
        with session_scope(engine) as s:
            queries.delete_session(s, token_hash(token))


def public(user: User) -> dict:
    """What the audit log may say about an account: never the password or its hash."""
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "unit_id": user.unit_id, "disabled": user.disabled}


def add_account(session: Session, actor: User | None, username: str, display_name: str, role: str,
                password: str, unit_id: int | None = None, is_demo: bool = False, must_change: bool = False) -> User:
    """create_user plus its audit entry (actor None: the command line)."""
    user = create_user(session, username, display_name, role, password, unit_id, is_demo, must_change)
    audit.record(session, actor, "user.create", "user", user.id, {}, public(user))
    return user


def people(session: Session) -> list[User]:
    """Every account, by username, with its unit (for the admins' list)."""
    return queries.users(session)


def units(session: Session) -> dict[int, str]:
    """The active units by name, for choosing one."""
    return {u.id: u.name for u in queries.active_units(session)}
