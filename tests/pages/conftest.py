"""AppTest helpers: run app.py as a session would, then open a page by its url_path."""
import pytest
from streamlit.testing.v1 import AppTest


def open_app(lang: str | None = None, locale: str = "zh-CN") -> AppTest:
    at = AppTest.from_file("../../app.py", default_timeout=60)
    at.context["locale"] = locale  # as a browser would send it
    if lang:
        at.query_params["lang"] = lang
    return at.run()


def open_page(at: AppTest, url_path: str) -> AppTest:
    """AppTest's switch_page only knows file pages; ours are callables registered by url_path."""
    at._page_hash = next(h for h, info in at._registered_pages.items()
                         if info.get("url_pathname") == url_path)
    return at.run()


@pytest.fixture
def demo_db(app_env):
    """A database set up as the first `make run` does, with the demo data."""
    from qingxi.cli import setup

    setup(load_demo=True)
    return app_env
