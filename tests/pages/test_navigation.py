from pathlib import Path

from tests.pages.conftest import open_app, open_page

PAGES = Path(__file__).resolve().parents[2] / "pages"


def test_a_page_module_is_named_after_its_url_and_runs_only_through_the_menu(app_env):
    """One name per area (pages/track.py is /track). Asked for /track, the portal runs app.py's menu
    entry, never pages/track.py as a script of its own (which, functions only, would show nothing)."""
    at = open_app("zh")
    paths = {info["url_pathname"] for info in at._registered_pages.values()}
    modules = {p.stem for p in PAGES.glob("*.py")} - {"__init__"}
    assert {"report", "track", "map", "cleanups", "proposals", "signin"} <= paths & modules
    at = open_page(at, "track")
    assert not at.exception and at.text_input(key="track_code") is not None


def test_deselecting_the_language_keeps_it(app_env):
    at = open_app("en")
    at.segmented_control(key="language_switch").set_value(None).run()
    assert not at.exception
    assert at.title[0].value == "Qingxi Guardian"
