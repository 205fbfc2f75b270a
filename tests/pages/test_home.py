import pytest

from db.engine import engine_for, session_scope
from qingxi.core.settings import current as settings
from qingxi.reports import public
from tests.pages.conftest import open_app


@pytest.mark.parametrize("lang, title, open_label", [("zh", "清溪守护", "待处理的问题"), ("en", "Qingxi Guardian", "Open reports")])
def test_home_in_both_languages(demo_db, lang, title, open_label):
    at = open_app(lang)
    assert not at.exception
    assert at.title[0].value == title
    with session_scope(engine_for(settings().database_url)) as s:
        counts = public.counts(s)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[open_label] == str(counts["open"])
    assert counts["open"] > 0  # the demo set has open reports


def test_home_counts_are_live(demo_db):
    at = open_app("zh")
    before = {m.label: m.value for m in at.metric}["待处理的问题"]
    with session_scope(engine_for(settings().database_url)) as s:
        from sqlalchemy import update

        from db.models import Report
        s.execute(update(Report).where(Report.state == "submitted").values(hidden=True))
    after = {m.label: m.value for m in open_app("zh").metric}["待处理的问题"]
    assert int(after) < int(before)


def test_empty_database_works_too(app_env):
    at = open_app("en")
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Open reports"] == "0"


def test_language_comes_from_the_browser_then_sticks(app_env):
    at = open_app(locale="en-US")
    assert at.title[0].value == "Qingxi Guardian"
    assert at.query_params["lang"] == "en"
    at.segmented_control(key="language_switch").set_value("zh").run()
    assert at.title[0].value == "清溪守护"
    assert at.session_state["lang"] == "zh"
    assert at.query_params["lang"] == "zh"


@pytest.mark.parametrize("lang, labels", [("zh", ["随手拍上报", "查进度", "报名清理日"]),
                                          ("en", ["Report a problem", "Check progress", "Join a clean-up day"])])
def test_home_offers_the_three_actions_before_anything_else(app_env, lang, labels):
    """Under the title, before the counts and the text: reporting, tracking and signing up, each a
    link to its page."""
    at = open_app(lang)
    order = [(node.type, node) for node in _in_order(at.main)]
    kinds = [kind for kind, _ in order if kind in ("title", "page_link", "metric", "markdown")]
    assert kinds[:4] == ["title", "page_link", "page_link", "page_link"], kinds[:6]
    links = [node.proto for kind, node in order if kind == "page_link"][:3]
    assert [link.label for link in links] == labels
    assert [link.page.strip("/").split("?")[0] for link in links] == ["report", "track", "cleanups"]


def _in_order(node):
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _in_order(child)
