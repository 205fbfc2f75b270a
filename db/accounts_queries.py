"""Queries for accounts, browser sessions, failed sign-ins and the audit log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from db.models import LoginAttempt, Unit, User, UserSession


def user_by_name(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id, options=[joinedload(User.unit)])


def users(session: Session) -> list[User]:
    return list(session.scalars(select(User).options(joinedload(User.unit)).order_by(User.username)))


def active_units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)))


def unit_by_name(session: Session, name: str) -> Unit | None:
    return session.scalars(select(Unit).where(Unit.name == name)).first()


def unit_exists(session: Session, unit_id: int) -> bool:
    return session.get(Unit, unit_id) is not None


def add_unit(session: Session, name: str) -> Unit:
    unit = Unit(name=name)
    session.add(unit)
    session.flush()
    return unit


def add_user(session: Session, user: User) -> User:
    session.add(user)
    session.flush()
    return user


def add_session(session: Session, user_id: int, token_hash: str, expires_at: datetime) -> None:
    session.add(UserSession(user_id=user_id, token_hash=token_hash, expires_at=expires_at))


def user_for_token_hash(session: Session, token_hash: str, now: datetime) -> User | None:
    """The enabled user behind an unexpired session, with their unit loaded (pages read it later)."""
    query = (select(User).join(UserSession, UserSession.user_id == User.id).options(joinedload(User.unit))
             .where(UserSession.token_hash == token_hash, UserSession.expires_at > now,
                    User.disabled.is_(False)))
    return session.scalars(query).first()


def delete_session(session: Session, token_hash: str) -> int:
    return session.execute(delete(UserSession).where(UserSession.token_hash == token_hash)).rowcount


def delete_sessions(session: Session, user_id: int, *, expired_before: datetime | None = None,
                    keep: str | None = None) -> int:
    """End the account's sessions (only the expired ones; all but the one whose token hash is `keep`)."""
    query = delete(UserSession).where(UserSession.user_id == user_id)
    if keep is not None:
        query = query.where(UserSession.token_hash != keep)
    if expired_before is not None:
        query = query.where(UserSession.expires_at <= expired_before)
    return session.execute(query).rowcount


def failures_since(session: Session, username: str, address: str | None, since: datetime, *,
                   besides: int | None = None) -> list[datetime]:
    """Failed sign-ins for this name (from this address, or from any when None) after `since`,
    newest first; `besides` leaves out one attempt (the caller's own)."""
    query = select(LoginAttempt.at).where(LoginAttempt.username == username, LoginAttempt.at > since)
    if address is not None:
        query = query.where(LoginAttempt.address == address)
    if besides is not None:
        query = query.where(LoginAttempt.id != besides)
    return list(session.scalars(query.order_by(LoginAttempt.at.desc())))


def add_attempt(session: Session, username: str, address: str, at: datetime) -> int:
    """An attempt, recorded before its password is checked (it counts as a failure unless removed)."""
    row = LoginAttempt(username=username, address=address, at=at)
    session.add(row)
    session.flush()
    return row.id


def remove_attempt(session: Session, attempt_id: int) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt_id))


def clear_failures(session: Session, username: str, address: str | None = None, *,
                   before: datetime | None = None) -> None:
    query = delete(LoginAttempt).where(LoginAttempt.username == username)
    if address is not None:
        query = query.where(LoginAttempt.address == address)
    if before is not None:
        query = query.where(LoginAttempt.at <= before)
    session.execute(query)


def fresh_user(session: Session, user) -> User | None:
    """The acting account as the database has it now (role, unit, disabled), never as a page
    remembered it; None (the public) when there is no such account."""
    user_id = getattr(user, "id", None)
    return None if user_id is None else session.get(User, user_id, populate_existing=True)
