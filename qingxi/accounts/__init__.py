"""Accounts: people who sign in (deputies, staff, handlers, admins), their sessions and passwords,
and what admins do with accounts. Everything is in `users`; these are its public names."""
from qingxi.accounts.users import (  # noqa: F401
    ACCOUNT_FAILURES, CHECKS_AT_ONCE, COOKIE, FAILURE_WINDOW, MAX_FAILURES, MIN_PASSWORD, ROLES, SESSION_LIFETIME,
    USERNAME, AccountError, SignInError, add_account, create_user, disable_user, enable_user, hash_password, invite,
    normalise, set_role, sign_in, sign_out, token_hash, user_for_email, user_for_token
)
