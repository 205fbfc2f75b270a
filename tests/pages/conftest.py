"""AppTest helpers: run app.py as a session would, then open a page by its url_path."""
import pytest
from streamlit.testing.v1 import AppTest


def open_app(lang: str | None = None, locale: str = "zh-CN") -> AppTest:
    at = AppTest.from_file("../support/portal.py", default_timeout=60)
    at.context["locale"] = locale  # as a browser would send it
    if lang:
        at.query_params["lang"] = lang
    return at.run()


def open_page(at: AppTest, url_path: str) -> AppTest:
    """AppTest's switch_page only knows file pages; ours are callables registered by url_path."""
    at._page_hash = next(h for h, info in at._registered_pages.items()
                         if info.get("url_pathname") == url_path)
    return at.run()


LOCKED = ":material/lock:"  # the icon of app.py's stand-ins at account-only addresses (ACCOUNT_ONLY)


def menu(at: AppTest) -> set[str]:
    """The addresses this visitor's menu offers: every registered page but the hidden stand-ins that
    app.py keeps at the account-only addresses it leaves out (a sign-in, or "not for your account")."""
    return {info["url_pathname"] for info in at._registered_pages.values() if info.get("icon") != LOCKED}


@pytest.fixture
def demo_db(app_env):
    """A database set up as the first `make run` does, with the demo data."""
    from qingxi.ops.cli import setup

    setup(load_demo=True)
    return app_env


@pytest.fixture
def file_report(app_env):
    """File reports through the intake service, as the report page does."""
    from db.engine import engine_for, session_scope
    from qingxi.core.settings import current
    from qingxi.ops.cli import setup
    from qingxi.reports import intake
    from tests.support.photo_samples import gps_ifd, jpeg

    setup(load_demo=False)
    engine = engine_for(current().database_url)
    sizes = iter(range(400, 900))

    def file(**fields) -> str:
        with session_scope(engine) as s:
            where = intake.place(s, 121.398, 29.1492, "gps")
        data = jpeg((next(sizes), 300), gps=gps_ifd(121.398, 29.1492))
        return intake.submit(engine, intake.Submission([data], fields.pop("category", "bank_litter"), where, **fields)).code

    return file


@pytest.fixture
def sign_in_as(app_env, monkeypatch):
    """Sign in through the accounts service and hand the token to the app as the browser's cookie
    would (AppTest cannot send cookies): sign_in_as("staff") → the new User."""
    import ui
    from db import accounts_queries
    from db.engine import engine_for, session_scope
    from qingxi import accounts
    from qingxi.core.settings import current
    from qingxi.ops.cli import setup

    setup(load_demo=False)
    engine = engine_for(current().database_url)

    def sign(role: str, username: str | None = None):
        username = username or f"test-{role}"
        with session_scope(engine) as s:
            unit = accounts_queries.add_unit(s, f"{username} unit").id if role == "handler" else None
            user = accounts.create_user(s, username, f"Test {role}", role, "password-1", unit)
        token = accounts.sign_in(engine, username, "password-1", "127.0.0.1")
        monkeypatch.setattr(ui, "session_token", lambda: token)
        return user

    return sign
