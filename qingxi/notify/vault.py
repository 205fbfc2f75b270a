"""The channels' apprise URLs hold tokens and signing secrets: they are stored encrypted (Fernet)
and shown back only as a hint (`dingtalk://ab12…`). The key is QINGXI_NOTIFY_KEY from the settings;
without one, a random key is made once in `notify.key` beside the photo folder (mode 0600), so a
copy of the database alone does not reveal the URLs."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from qingxi.core.settings import current as settings


def _fernet_key(text: str) -> bytes:
    raw = text.strip().encode()
    try:
        if len(base64.urlsafe_b64decode(raw)) == 32:
            return raw
    except ValueError:
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(raw).digest())  # a passphrase: derive a key from it


def _key_file() -> Path:
    return settings().photo_dir.parent / "notify.key"


@lru_cache(maxsize=4)
def _key(configured: str | None, key_file: str) -> bytes:
    if configured:
        return _fernet_key(configured)
    path = Path(key_file)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(Fernet.generate_key())
    return path.read_bytes().strip()


def _current_key() -> bytes:
    return _key(settings().notify_key, str(_key_file()))


def _current() -> Fernet:
    return Fernet(_current_key())


def seal(url: str) -> str:
    return _current().encrypt(url.encode()).decode()


def open_url(sealed: str) -> str | None:
    """The URL, or None when it was sealed with another key (the channel must be added again)."""
    try:
        return _current().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None


def recipient_key(phone: str) -> str:
    """One delivery per person and message, without the phone in the clear."""
    return hmac.new(_current_key(), f"recipient|{phone}".encode(), hashlib.sha256).hexdigest()


def hint(url: str) -> str:
    """What may be shown of a URL: its scheme and the first four characters after it."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest[:4]}…" if rest else f"{scheme[:8]}…"
