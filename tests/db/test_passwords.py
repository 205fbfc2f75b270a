"""Changing one's password and an admin's reset, on SQLite and PostgreSQL: the old password first,
the new one twice and strong, every other session ends; a one-time password must be changed."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from db.engine import session_scope
from db.models import AuditEntry, User
from qingxi import accounts
from qingxi.accounts import AccountError, SignInError
from qingxi.core.permissions import Denied

OLD = "river-clean-2024"
NEW = "herons fish at dawn"


@pytest.fixture
def wang(people):
    with session_scope(people.engine) as s:
        return accounts.create_user(s, "wang", "王芳", "staff", OLD)


def signed_in(engine, token) -> bool:
    with session_scope(engine) as s:
        return accounts.user_for_token(s, token) is not None


def hash_of(engine, username="wang") -> str:
    with session_scope(engine) as s:
        return s.scalar(select(User.password_hash).where(User.username == username))


@pytest.mark.parametrize("old, new, again, key", [
    ("not-it", NEW, NEW, "wrong_password"),
    (OLD, NEW, NEW + "!", "mismatch"),
    (OLD, OLD, OLD, "same_password"),
    (OLD, "password-1", "password-1", "weak_password"),
    (OLD, "12345678", "12345678", "weak_password"),
    (OLD, "qingxi2026", "qingxi2026", "weak_password"),   # the portal's own name and a year
    (OLD, "wang19820514", "wang19820514", "weak_password"),  # a name and a birthday
    (OLD, "short1!", "short1!", "weak_password"),
])
def test_bad_new_passwords_are_refused_and_change_nothing(people, wang, old, new, again, key):
    token = accounts.sign_in(people.engine, "wang", OLD, "10.0.0.7")
    before = hash_of(people.engine)
    with pytest.raises(AccountError) as err:
        accounts.change_password(people.engine, wang, token, old, new, again)
    assert err.value.key == key
    assert hash_of(people.engine) == before and signed_in(people.engine, token)


def test_a_change_ends_every_other_session_and_keeps_this_one(people, wang):
    here = accounts.sign_in(people.engine, "wang", OLD, "10.0.0.7")
    phone = accounts.sign_in(people.engine, "wang", OLD, "10.0.0.8")
    assert accounts.change_password(people.engine, wang, here, OLD, NEW, NEW) == 1
    assert signed_in(people.engine, here) and not signed_in(people.engine, phone)
    with pytest.raises(SignInError):
        accounts.sign_in(people.engine, "wang", OLD, "10.0.0.9")
    assert accounts.sign_in(people.engine, "wang", NEW, "10.0.0.9")
    with session_scope(people.engine) as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "user.password")).one()
    assert OLD not in entry.after and NEW not in entry.after and "$argon2" not in entry.after
    assert json.loads(entry.after)["sessions_ended"] == 1


def test_the_public_cannot_change_a_password(people):
    with pytest.raises(Denied):
        accounts.change_password(people.engine, None, None, OLD, NEW, NEW)


def test_an_admin_reset_gives_a_one_time_password_that_must_be_changed(people, wang):
    token = accounts.sign_in(people.engine, "wang", OLD, "10.0.0.7")
    once = accounts.reset_password(people.engine, people.admin, wang.id)
    assert not signed_in(people.engine, token)  # every session ended
    with pytest.raises(SignInError):
        accounts.sign_in(people.engine, "wang", OLD, "10.0.0.7")
    token = accounts.sign_in(people.engine, "wang", once, "10.0.0.7")
    with session_scope(people.engine) as s:
        assert accounts.user_for_token(s, token).must_change_password
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "user.reset_password")).one()
        assert once not in entry.after and "$argon2" not in entry.after and entry.actor_id == people.admin.id
    accounts.change_password(people.engine, wang, token, once, NEW, NEW)
    with session_scope(people.engine) as s:
        assert not accounts.user_for_token(s, token).must_change_password
    with pytest.raises(Denied):
        accounts.reset_password(people.engine, people.staff, wang.id)
    with pytest.raises(AccountError, match="not_yourself"):
        accounts.reset_password(people.engine, people.admin, people.admin.id)


def test_an_invitation_password_must_be_changed_too(people):
    once = accounts.invite(people.engine, people.admin, "liming", "李明", "deputy")
    token = accounts.sign_in(people.engine, "liming", once, "10.0.0.7")
    with session_scope(people.engine) as s:
        assert accounts.user_for_token(s, token).must_change_password
