"""The demo accounts' passwords are random, made by `setup --demo` and kept in an owner-only file
(settings.demo_passwords): tests read them from there, as a person would after `make run`."""
from __future__ import annotations

from pathlib import Path


def demo_password(username: str, path: Path | None = None) -> str:
    if path is None:
        from qingxi.core.settings import current

        path = current().demo_passwords
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        name, _, password = line.partition(" ")
        if name == username:
            return password
    raise KeyError(f"no demo password for {username} in {path}")
