"""What admins do with accounts, each in qingxi.core.acting and audited (never a password or hash):
invite (a one-time password), disable (every session ends at once), enable, change the role, set
the contact (qingxi.accounts.contact), and reset a forgotten password (a one-time password again). A one-time password must be changed at
the next sign-in (qingxi.accounts.passwords)."""
from __future__ import annotations

import secrets

from sqlalchemy import Engine

from db import accounts_queries as queries
from db.models import User
from qingxi.accounts.contact import normalise as contact_of
from qingxi.accounts.contact import store as store_contact
from qingxi.accounts.users import AccountError, add_account, check_role, hash_password, public
from qingxi.core.acting import Act, acting


class Admin(Act):
    entity = "user"

    @property
    def user(self) -> User:
        return self.target


def _target(c: Admin, user_id: int) -> None:
    c.target = queries.user_by_id(c.session, user_id)
    if c.target is None:
        raise AccountError("unknown_user")
    if c.target.id == c.actor.id:  # an admin locking themselves out leaves nobody to undo it
        raise AccountError("not_yourself")


def one_time_password() -> str:
    return secrets.token_urlsafe(12)


def invite(engine: Engine, admin: User, username: str, display_name: str, role: str,
           unit_id: int | None = None) -> str:
    """Create an account and return its one-time password, to be shown to the admin once."""
    password = one_time_password()
    with acting(engine, admin, "users.manage", context=Admin) as c:
        add_account(c.session, c.actor, username, display_name, role, password, unit_id, must_change=True)
    return password


def disable_user(engine: Engine, admin: User, user_id: int) -> int:
    """Disable the account and end all its sessions at once; returns how many were ended."""
    with acting(engine, admin, "users.manage", context=Admin) as c:
        _target(c, user_id)
        before = public(c.user)
        c.user.disabled = True
        ended = queries.delete_sessions(c.session, c.user.id)
        c.audit("user.disable", before, {**public(c.user), "sessions_ended": ended})
    return ended


def enable_user(engine: Engine, admin: User, user_id: int) -> None:
    with acting(engine, admin, "users.manage", context=Admin) as c:
        _target(c, user_id)
        before = public(c.user)
        c.user.disabled = False
        c.audit("user.enable", before, public(c.user))


def set_role(engine: Engine, admin: User, user_id: int, role: str, unit_id: int | None) -> None:
    with acting(engine, admin, "users.manage", context=Admin) as c:
        _target(c, user_id)
        check_role(c.session, role, unit_id)
        before = public(c.user)
        c.user.role, c.user.unit_id = role, unit_id
        c.audit("user.role", before, public(c.user))


def set_contact(engine: Engine, admin: User, user_id: int, contact: str | None) -> str | None:
    """Set (or clear) someone's contact, as they could on their own account page."""
    value = contact_of(contact)
    with acting(engine, admin, "users.manage", context=Admin) as c:
        _target(c, user_id)
        store_contact(c, value)
    return value


def reset_password(engine: Engine, admin: User, user_id: int) -> str:
    """A new one-time password for someone who forgot theirs (shown to the admin once); every session
    of that account ends, and the password must be changed at the next sign-in."""
    password = one_time_password()
    with acting(engine, admin, "users.manage", context=Admin) as c:
        _target(c, user_id)
        before = public(c.user)
        c.user.password_hash, c.user.must_change_password = hash_password(password), True
        ended = queries.delete_sessions(c.session, c.user.id)
        c.audit("user.reset_password", before, {**public(c.user), "sessions_ended": ended})
    return password
