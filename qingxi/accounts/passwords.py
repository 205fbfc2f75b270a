"""Changing one's own password: the old one first, the new one twice, strong enough (zxcvbn, which
knows common passwords, keyboard walks, dates and names — ours included), never the old one again.
Every other session of the account ends; the one that made the change stays signed in."""
from __future__ import annotations

from sqlalchemy import Engine
from zxcvbn import zxcvbn

from db import accounts_queries as queries
from qingxi.accounts.users import MIN_PASSWORD, AccountError, hash_password, public, token_hash, verify
from qingxi.core.acting import Act, acting

STRONG = 3  # zxcvbn's score (0–4): 3 is "safely unguessable" for an online attack
LOCAL_WORDS = ("qingxi", "清溪", "sanmen", "三门", "shaliu", "沙柳", "guardian", "守护", "river", "demo")


def strong_enough(password: str, *about: str) -> bool:
    """Long enough, and not guessable from common passwords, the person's own names or ours."""
    if len(password) < MIN_PASSWORD:
        return False
    return zxcvbn(password[:100], user_inputs=[*about, *LOCAL_WORDS])["score"] >= STRONG


def change_password(engine: Engine, user, token: str | None, old: str, new: str, again: str) -> int:
    """Returns how many other sessions were ended. AccountError: wrong_password, mismatch,
    same_password, weak_password."""
    if new != again:
        raise AccountError("mismatch")
    with acting(engine, user, "account.own") as c:
        actor = c.actor
        stored = actor.password_hash
    if not verify(stored, old):  # outside the transaction: it takes a while
        raise AccountError("wrong_password")
    if new == old:
        raise AccountError("same_password")
    if not strong_enough(new, actor.username, actor.display_name):
        raise AccountError("weak_password", n=MIN_PASSWORD)
    with acting(engine, user, "account.own", context=Act) as c:
        c.target = c.actor
        c.actor.password_hash, c.actor.must_change_password = hash_password(new), False
        ended = queries.delete_sessions(c.session, c.actor.id, keep=token_hash(token) if token else None)
        c.audit("user.password", {}, {**public(c.actor), "sessions_ended": ended}, entity="user")
    return ended
