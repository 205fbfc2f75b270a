from pathlib import Path

from tests.pages.conftest import open_app

PAGES = Path(__file__).resolve().parents[2] / "pages"


def test_no_url_path_is_a_page_module_name(app_env):
    """Streamlit can run pages/<name>.py when /<name> is requested on a fresh server, or when a
    page's hash collides with a file's: page url_paths must never equal a module name."""
    at = open_app("zh")
    paths = {info["url_pathname"] for info in at._registered_pages.values()}
    modules = {p.stem for p in PAGES.glob("*.py")}
    assert paths and not paths & modules


def test_deselecting_the_language_keeps_it(app_env):
    at = open_app("en")
    at.segmented_control(key="language_switch").set_value(None).run()
    assert not at.exception
    assert at.title[0].value == "Qingxi Guardian"
