"""Setup: migrate and geography always; demo data and demo accounts only when `make run` asks
(`setup --demo`), on a fresh database, each account with a random password kept in an owner-only file."""
import stat
from pathlib import Path

from sqlalchemy import func, select

from db.engine import engine_for, session_scope
from db.models import Photo, Report, User
from qingxi import accounts
from qingxi.core.settings import current as settings
from qingxi.ops import demo
from qingxi.ops.cli import main, setup
from tests.support.demo_passwords import demo_password

ROOT = Path(__file__).resolve().parents[2]


def _counts() -> tuple[int, int]:
    with session_scope(engine_for(settings().database_url)) as s:
        return (s.scalar(select(func.count()).select_from(Report)),
                s.scalar(select(func.count()).select_from(Photo)))


def _users() -> list[str]:
    with session_scope(engine_for(settings().database_url)) as s:
        return list(s.scalars(select(User.username)))


def test_demo_loads_once_on_a_fresh_database_and_keeps_what_is_there(app_env):
    setup(load_demo=True)
    reports, photos = _counts()
    assert reports == 80 and photos == 80
    with session_scope(engine_for(settings().database_url)) as s:
        rows = s.scalars(select(Report)).all()
        assert all(r.is_demo and "演示" in r.description for r in rows)  # clearly labelled
        assert {r.state for r in rows} >= {"submitted", "in_progress", "fixed", "unfixed"}
        assert len({r.category for r in rows}) >= 6
        assert any(r.off_river for r in rows) and any(not r.off_river for r in rows)
        for r in rows:
            assert (settings().photo_dir / r.photos[0].public_name).is_file()
            assert r.history[0].to_state == "submitted" and r.history[-1].to_state == r.state
        s.delete(rows[0])
    setup(load_demo=True)  # second `make run`: nothing added, nothing restored
    assert _counts() == (79, 79)


def test_plain_setup_loads_no_demo_data_and_creates_no_account(app_env, capsys):
    main(["setup"])
    assert _counts() == (0, 0)
    assert _users() == []
    assert not settings().demo_passwords.exists()
    assert "password" not in capsys.readouterr().out


def test_demo_accounts_get_random_passwords_shown_once_and_kept_owner_only(app_env, capsys):
    file = settings().demo_passwords
    file.write_text("demo-admin left-from-an-older-database\n")  # and readable by everyone
    file.chmod(0o644)
    main(["setup", "--demo"])
    out = capsys.readouterr().out
    assert "left-from-an-older-database" not in file.read_text()
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    names = [u for u, _, _ in demo.DEMO_USERS]
    assert sorted(_users()) == sorted(names)
    passwords = {u: demo_password(u) for u in names}
    assert len(set(passwords.values())) == len(names)  # one each, not one shared
    for username, password in passwords.items():
        assert len(password) >= 16 and password in out  # shown once by setup
        accounts.sign_in(engine_for(settings().database_url), username, password, "127.0.0.1")


def test_two_fresh_demo_databases_get_different_passwords(tmp_path, monkeypatch):
    seen = []
    for name in ("one", "two"):
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / name / 'app.db'}")
        monkeypatch.setenv("QINGXI_PHOTO_DIR", str(tmp_path / name / "photos"))
        (tmp_path / name).mkdir()
        settings.cache_clear()
        setup(load_demo=True)
        seen.append(demo_password("demo-admin"))
    settings.cache_clear()
    assert seen[0] != seen[1]  # not a fixed string


def test_no_published_password_in_readme_docs_or_code():
    files = [ROOT / "README.md", ROOT / "Makefile", *(ROOT / "docs").glob("*.md"),
             *(ROOT / "qingxi").rglob("*.py"), *(ROOT / "pages").rglob("*.py"), *(ROOT / "ui").rglob("*.py"),
             *(ROOT / "tests").rglob("*.py")]
    old = "qingxi-" + "demo"  # spelt in two halves so this file is not a hit itself
    assert [str(f) for f in files if old in f.read_text(encoding="utf-8")] == []
