"""An account's contact: where messages addressed to this person go (a deputy hears of their
proposals being assigned, answered and nearing the deadline), an e-mail address or a mainland
mobile number. The person sets it on their own account page, an admin on the accounts page; only
they see it. It is never in a group message, and the audit log says only whether one is set."""
from __future__ import annotations

import re

from sqlalchemy import Engine

from qingxi.accounts.users import AccountError
from qingxi.core import places
from qingxi.core.acting import Act, acting

MAX_CONTACT = 120
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(\.[A-Za-z0-9\-]{1,63})*\.[A-Za-z]{2,24}")
_MOBILE = re.compile(r"1[3-9]\d{9}")


def normalise(text: str | None) -> str | None:
    """The contact as stored (None: none), or AccountError("bad_contact")."""
    text = (text or "").strip()
    if not text:
        return None
    if "@" in text:
        if len(text) > MAX_CONTACT or not _EMAIL.fullmatch(text):
            raise AccountError("bad_contact")
        local, _, domain = text.rpartition("@")
        return f"{local}@{domain.lower()}"
    phone = places.normalise_phone(text)
    if not _MOBILE.fullmatch(phone):  # a message is a text or an e-mail: a landline gets neither
        raise AccountError("bad_contact")
    return phone


def kind(contact: str | None) -> str | None:
    """"email", "phone", or None: which kind of person channel can reach it."""
    if not contact:
        return None
    return "email" if "@" in contact else "phone"


def store(c: Act, contact: str | None) -> None:
    """Set the target account's contact (already normalised) with its audit entry."""
    before = c.target.contact is not None
    c.target.contact = contact
    c.audit("user.contact", {"contact": before}, {"contact": contact is not None}, entity="user")


def set_own_contact(engine: Engine, user, contact: str | None) -> str | None:
    """Set (or with nothing typed, clear) one's own contact; returns it as stored."""
    value = normalise(contact)
    with acting(engine, user, "account.own", context=Act) as c:
        c.target = c.actor
        store(c, value)
    return value
