"""Accounts: people who sign in (deputies, staff, handlers, admins). `users`: passwords (argon2id),
database-backed sessions, slowing down guessing, and the lists pages choose from; `admin`: what
admins do with accounts; `passwords`: changing one's own; `contact`: where messages addressed to
the person go (set_own_contact, an admin's set_contact; contact_kind says e-mail or phone).
These are the area's public names."""
from db.models import User  # noqa: F401  (the type pages and ui name the signed-in person with)
from qingxi.accounts.admin import disable_user, enable_user, invite, reset_password, set_contact, set_role  # noqa: F401
from qingxi.accounts.contact import MAX_CONTACT, set_own_contact  # noqa: F401
from qingxi.accounts.contact import kind as contact_kind  # noqa: F401
from qingxi.accounts.contact import normalise as normalise_contact  # noqa: F401
from qingxi.accounts.passwords import change_password, strong_enough  # noqa: F401
from qingxi.accounts.users import (  # noqa: F401
    ACCOUNT_FAILURES,
    CHECKS_AT_ONCE,
    COOKIE,
    FAILURE_WINDOW,
    MAX_FAILURES,
    MIN_PASSWORD,
    ROLES,
    SESSION_LIFETIME,
    USERNAME,
    AccountError,
    SignInError,
    add_account,
    create_user,
    hash_password,
    normalise,
    people,
    sign_in,
    sign_out,
    token_hash,
    units,
    user_for_email,
    user_for_token,
)
