"""Sign-in page and navigation by role (AppTest cannot send cookies: see sign_in_as)."""
import pytest

from tests.pages.conftest import open_app, open_page


def _paths(at) -> set[str]:
    return {info["url_pathname"] for info in at._registered_pages.values()}


def test_the_public_sees_sign_in_not_admin(app_env):
    at = open_app("zh")
    assert "signin" in _paths(at) and not _paths(at) & {"accounts", "account", "signs"}
    at = open_page(at, "signin")
    assert not at.exception and at.title[0].value == "登录" and not at.error


@pytest.mark.parametrize("lang, error, minutes, message", [
    ("zh", "wrong", None, "用户名或密码不正确"),
    ("en", "wrong", None, "Wrong username or password."),
    ("zh", "slowed", "12", "尝试次数太多，请 12 分钟后再试。"),
    ("en", "nonsense", None, None),
])
def test_the_refusal_from_the_route_is_shown_in_the_readers_language(app_env, lang, error, minutes, message):
    at = open_app(lang)
    at.query_params["error"] = error
    if minutes:
        at.query_params["minutes"] = minutes
    at = open_page(at, "signin")
    assert [e.value for e in at.error] == ([message] if message else [])


@pytest.mark.parametrize("role, pages", [
    ("deputy", {"account"}),
    ("handler", {"account"}),
    ("staff", {"account", "signs"}),
    ("admin", {"account", "signs", "accounts"}),
])
def test_signed_in_people_see_their_pages(sign_in_as, role, pages):
    sign_in_as(role)
    at = open_app("en")
    assert not at.exception
    assert _paths(at) & {"account", "signs", "accounts", "signin"} == pages
    assert at.sidebar.caption[0].value == f"Signed in as Test {role}"
    at = open_page(at, "account")
    assert at.title[0].value == f"Test {role}" and f"test-{role}" in at.markdown[0].value
