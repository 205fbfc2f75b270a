"""Accounts on both backends: argon2id hashes, one answer for every failed sign-in, sessions that
end when they should, slowing down guessing, and audited admin actions."""
import json
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.engine import session_scope
from db.models import AuditEntry, LoginAttempt, User, UserSession, utcnow
from qingxi import accounts
from qingxi.accounts import AccountError, SignInError
from qingxi.core.permissions import Denied

PW = "river-clean-2024"


def _user(engine, username="wang", role="staff", password=PW, unit_id=None) -> User:
    with session_scope(engine) as s:
        return accounts.create_user(s, username, "王芳", role, password, unit_id)


def _sessions(engine, user_id=None) -> int:
    with session_scope(engine) as s:
        query = select(func.count()).select_from(UserSession)
        if user_id is not None:
            query = query.where(UserSession.user_id == user_id)
        return s.scalar(query)


def _failure(engine, username, password=PW, now=None, address="10.0.0.7") -> str:
    with pytest.raises(SignInError) as err:
        accounts.sign_in(engine, username, password, address, now=now)
    return err.value.key


def test_passwords_are_argon2id_and_usernames_normalised(engine):
    user = _user(engine, "  Wang.Fang  ")
    assert user.username == "wang.fang"
    assert user.password_hash.startswith("$argon2id$") and PW not in user.password_hash


@pytest.mark.parametrize("username, password, role, unit, key", [
    ("ab", PW, "staff", None, "bad_username"),
    ("wang fang", PW, "staff", None, "bad_username"),
    ("x" * 51, PW, "staff", None, "bad_username"),
    ("wang", "short", "staff", None, "short_password"),
    ("wang", PW, "mayor", None, "bad_role"),
    ("wang", PW, "handler", None, "unit_needed"),
    ("wang", PW, "handler", 999, "unknown_unit"),
])
def test_bad_accounts_are_refused(session, username, password, role, unit, key):
    with pytest.raises(AccountError) as err:
        accounts.create_user(session, username, "王芳", role, password, unit)
    assert err.value.key == key


def test_usernames_are_unique_whatever_the_case(engine):
    _user(engine, "wang")
    with pytest.raises(AccountError, match="username_taken"):
        _user(engine, "WANG")


def test_right_and_wrong_password(engine):
    user = _user(engine)
    token = accounts.sign_in(engine, " WANG ", PW, "10.0.0.7")
    with session_scope(engine) as s:
        assert accounts.user_for_token(s, token).id == user.id
        stored = s.scalars(select(UserSession)).one()
        assert stored.token_hash == accounts.token_hash(token) != token  # only the hash is kept
    assert _failure(engine, "wang", "not-the-password") == "wrong"


def test_unknown_user_and_disabled_user_get_the_same_answer(engine):
    admin = _user(engine, "boss", role="admin")
    user = _user(engine)
    wrong = _failure(engine, "wang", "not-the-password")
    unknown = _failure(engine, "nobody", PW)
    accounts.disable_user(engine, admin, user.id)
    disabled = _failure(engine, "wang", PW)
    assert wrong == unknown == disabled == "wrong"
    with session_scope(engine) as s:  # every failure counts, for names that exist or not
        assert s.scalar(select(func.count()).select_from(LoginAttempt)) == 3


def test_disabling_ends_every_session_at_once(engine):
    admin = _user(engine, "boss", role="admin")
    user = _user(engine)
    tokens = [accounts.sign_in(engine, "wang", PW, a) for a in ("10.0.0.7", "10.0.0.8")]
    assert accounts.disable_user(engine, admin, user.id) == 2
    assert _sessions(engine, user.id) == 0
    with session_scope(engine) as s:
        assert all(accounts.user_for_token(s, t) is None for t in tokens)


def test_expired_forged_and_signed_out_tokens_are_nobody(engine):
    _user(engine)
    now = utcnow()
    token = accounts.sign_in(engine, "wang", PW, "10.0.0.7", now=now)
    with session_scope(engine) as s:
        assert accounts.user_for_token(s, token, now + accounts.SESSION_LIFETIME - timedelta(minutes=1))
        assert accounts.user_for_token(s, token, now + accounts.SESSION_LIFETIME) is None
        assert accounts.user_for_token(s, token[:-2] + "xx") is None
        assert accounts.user_for_token(s, "") is None and accounts.user_for_token(s, None) is None
    accounts.sign_out(engine, token)
    assert _sessions(engine) == 0


def test_five_failures_slow_that_name_and_address_down_for_15_minutes(engine):
    _user(engine)
    start = utcnow()
    for i in range(5):
        assert _failure(engine, "wang", "guess", now=start + timedelta(minutes=i)) == "wrong"
    with pytest.raises(SignInError) as err:  # even the right password is not tried now
        accounts.sign_in(engine, "wang", PW, "10.0.0.7", now=start + timedelta(minutes=5))
    assert err.value.key == "slowed" and err.value.values == {"minutes": 10}
    # another address, or another name from this address, is not affected
    assert accounts.sign_in(engine, "wang", PW, "10.0.0.9", now=start + timedelta(minutes=5))
    assert _failure(engine, "li", "guess", now=start + timedelta(minutes=5)) == "wrong"
    # refusals are not failures: the wait does not grow while someone keeps trying
    assert _failure(engine, "wang", PW, now=start + timedelta(minutes=14, seconds=30)) == "slowed"
    # once the first of the five is 15 minutes old, the pair may try again; success clears it
    assert accounts.sign_in(engine, "wang", PW, "10.0.0.7", now=start + timedelta(minutes=15, seconds=1))
    with session_scope(engine) as s:
        left = s.scalars(select(LoginAttempt.username).where(LoginAttempt.address == "10.0.0.7")).all()
    assert left == ["li"]


def test_outdated_hashes_are_upgraded_on_sign_in(engine):
    from argon2 import PasswordHasher

    user = _user(engine)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PW)
    with session_scope(engine) as s:
        s.get(User, user.id).password_hash = weak
    accounts.sign_in(engine, "wang", PW, "10.0.0.7")
    with session_scope(engine) as s:
        upgraded = s.get(User, user.id).password_hash
    assert upgraded != weak and not PasswordHasher().check_needs_rehash(upgraded)


def test_admin_actions_are_audited_without_secrets(engine):
    admin = _user(engine, "boss", role="admin")
    password = accounts.invite(engine, admin, "Li.Ming", "李明", "deputy")
    with session_scope(engine) as s:
        li = s.scalars(select(User).where(User.username == "li.ming")).one()
    assert len(password) >= 12 and accounts.sign_in(engine, "li.ming", password, "10.0.0.7")
    accounts.set_role(engine, admin, li.id, "staff", None)
    accounts.disable_user(engine, admin, li.id)
    accounts.enable_user(engine, admin, li.id)
    with session_scope(engine) as s:
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        li_hash = s.get(User, li.id).password_hash
    assert [e.action for e in entries[-4:]] == ["user.create", "user.role", "user.disable", "user.enable"]
    role = entries[-3]
    assert role.actor_id == admin.id and role.entity == "user" and role.entity_id == li.id
    assert json.loads(role.before)["role"] == "deputy" and json.loads(role.after)["role"] == "staff"
    assert json.loads(entries[-2].after) == {**json.loads(entries[-2].before), "disabled": True, "sessions_ended": 1}
    for e in entries:
        text = e.before + e.after + e.reason
        assert password not in text and PW not in text and li_hash not in text and "argon2" not in text


def test_only_admins_act_and_never_on_themselves(engine):
    admin = _user(engine, "boss", role="admin")
    staff = _user(engine)
    with pytest.raises(Denied):
        accounts.invite(engine, staff, "li", "李明", "deputy")
    with pytest.raises(Denied):
        accounts.disable_user(engine, staff, admin.id)
    with pytest.raises(AccountError, match="not_yourself"):
        accounts.disable_user(engine, admin, admin.id)
    accounts.disable_user(engine, _user(engine, "boss2", role="admin"), admin.id)
    with pytest.raises(Denied):  # the page's copy of the admin is stale: the database decides
        accounts.set_role(engine, admin, staff.id, "admin", None)


def test_create_user_on_the_command_line(app_env, monkeypatch, capsys):
    import io

    from qingxi.ops.cli import main, setup

    setup(load_demo=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("pw-secret-1\n"))
    assert main(["create-user", "Zhang", "--role", "admin", "--name", "张三", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("pw-secret-1\n"))
    assert main(["create-user", "h1", "--role", "handler", "--name", "x", "--unit", "无此单位",
                 "--password-stdin", "--lang", "en"]) == 2
    assert "There is no such unit." in capsys.readouterr().err
    answers = iter(["pw-secret-1", "pw-secret-2"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert main(["create-user", "li", "--role", "staff", "--name", "李"]) == 2
    assert "differ" in capsys.readouterr().err


class CountingHasher:
    """The real argon2 hasher, counting the password checks and how many ran at once."""

    def __init__(self, real, slow: float = 0.0):
        self.real, self.slow, self.lock = real, slow, threading.Lock()
        self.checks = self.running = self.most = 0

    def verify(self, stored, password):
        with self.lock:
            self.checks += 1
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(self.slow)
            return self.real.verify(stored, password)
        finally:
            with self.lock:
                self.running -= 1

    def __getattr__(self, name):
        return getattr(self.real, name)


def _together(n: int, attempt) -> list[str]:
    """n sign-in attempts at once; what each ended with ("ok" or the refusal's key)."""
    start, results = threading.Barrier(n), []

    def one(i: int) -> None:
        start.wait()
        try:
            attempt(i)
            results.append("ok")
        except SignInError as err:
            results.append(err.key)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return results


def test_thirty_guesses_at_once_check_at_most_five_passwords(engine, monkeypatch):
    from qingxi.accounts import users

    _user(engine)
    hasher = CountingHasher(users._hasher)
    monkeypatch.setattr(users, "_hasher", hasher)
    results = _together(30, lambda i: accounts.sign_in(engine, "wang", f"guess-{i}", "10.0.0.7"))
    assert hasher.checks <= accounts.MAX_FAILURES
    assert results.count("wrong") == hasher.checks and results.count("slowed") == 30 - hasher.checks
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(LoginAttempt)) == hasher.checks  # refusals leave no row


def test_guessing_one_account_from_many_addresses_slows_that_account(engine):
    _user(engine)
    start = utcnow()
    for i in range(accounts.ACCOUNT_FAILURES):
        assert _failure(engine, "wang", "guess", now=start + timedelta(seconds=i), address=f"10.1.0.{i}") == "wrong"
    # A new address, even with the right password, waits until the oldest of the 20 ages out.
    assert _failure(engine, "wang", PW, now=start + timedelta(minutes=1), address="10.9.9.9") == "slowed"
    assert _failure(engine, "li", "guess", now=start + timedelta(minutes=1), address="10.9.9.9") == "wrong"
    assert accounts.sign_in(engine, "wang", PW, "10.9.9.9", now=start + timedelta(minutes=15, seconds=1))


def test_password_checks_at_once_are_capped(engine, monkeypatch):
    from qingxi.accounts import users

    hasher = CountingHasher(users._hasher, slow=0.05)
    monkeypatch.setattr(users, "_hasher", hasher)
    results = _together(24, lambda i: accounts.sign_in(engine, f"user{i}", "guess", f"10.2.0.{i}"))
    assert results == ["wrong"] * 24 and hasher.checks == 24
    assert hasher.most <= accounts.CHECKS_AT_ONCE
