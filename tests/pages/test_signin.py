"""Sign-in page and navigation by role (AppTest cannot send cookies: see sign_in_as)."""
import json

import pytest

from tests.pages.conftest import menu, open_app, open_page


def _paths(at) -> set[str]:
    return menu(at)


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
    assert at.title[0].value == f"Test {role}" and f"test-{role}" in at.markdown[0].value.replace("\\", "")  # as it reads (escaped markdown)


STRONG = "brisk otter lantern 47"


def _engine():
    from db.engine import engine_for
    from qingxi.core.settings import current

    return engine_for(current().database_url)


def _change(at, old: str, new: str, again: str):
    at.text_input(key="pw_old").input(old)
    at.text_input(key="pw_new").input(new)
    at.text_input(key="pw_again").input(again)
    return next(b for b in at.button if b.label == "Change password").click().run()


def test_changing_ones_password_on_the_account_page(sign_in_as):
    from qingxi import accounts

    sign_in_as("staff")
    elsewhere = accounts.sign_in(_engine(), "test-staff", "password-1", "10.0.0.9")  # another browser
    at = open_page(open_app("en"), "account")
    assert at.subheader[0].value == "Change password"
    at = _change(at, "password-1", STRONG, STRONG + "x")
    assert [e.value for e in at.error] == ["The two new passwords differ."]
    at = _change(at, "wrong-one-1", STRONG, STRONG)
    assert [e.value for e in at.error] == ["The current password is wrong."]
    at = _change(at, "password-1", "password-2", "password-2")
    assert at.error[0].value.startswith("That password is too easy to guess")
    at = _change(at, "password-1", STRONG, STRONG)
    assert not at.error and at.success[0].value.startswith("Password changed.")
    assert accounts.sign_in(_engine(), "test-staff", STRONG, "10.0.0.7")
    with pytest.raises(accounts.SignInError):
        accounts.sign_in(_engine(), "test-staff", "password-1", "10.0.0.6")
    from db.engine import session_scope
    with session_scope(_engine()) as s:
        assert accounts.user_for_token(s, elsewhere) is None  # the other browser is signed out


def test_a_one_time_password_leaves_only_the_change_form_until_it_is_changed(sign_in_as):
    from sqlalchemy import update

    from db.engine import session_scope
    from db.models import User

    sign_in_as("admin")
    with session_scope(_engine()) as s:  # as an invitation or an admin's reset leaves it
        s.execute(update(User).where(User.username == "test-admin").values(must_change_password=True))
    at = open_app("en")
    assert len(at._registered_pages) == 1  # only the account page: every other address lands on it
    assert at.title[0].value == "Test admin" and at.warning[0].value.startswith("You signed in with a one-time")
    at = _change(at, "password-1", STRONG, STRONG)
    assert at.success[0].value.startswith("Password changed.")
    assert {"accounts", "signs"} <= _paths(at) and not at.warning


def test_a_deputy_sets_where_their_notifications_go_and_is_told_when_nothing_can_take_them(sign_in_as, monkeypatch):
    from qingxi import notify
    from qingxi.core.settings import current

    monkeypatch.setenv("QINGXI_NOTIFY_KEY", "page test key")
    current.cache_clear()
    sign_in_as("deputy")
    at = open_page(open_app("en"), "account")
    assert "Notifications" in [h.value for h in at.subheader]
    assert "Not given: no messages will be sent to you." in [c.value for c in at.caption]
    at.text_input(key="own_contact").input("zhou@")
    at = next(b for b in at.button if b.label == "Save").click().run()
    assert [e.value for e in at.error] == ["Give an e-mail address or an 11-digit mobile number."]
    at.text_input(key="own_contact").input("Zhou@Example.org")
    at = next(b for b in at.button if b.label == "Save").click().run()
    assert at.success[0].value == "Saved." and at.text_input(key="own_contact").value == "Zhou@Example.org"
    assert at.info[0].value.startswith("No notification channel for e-mail is configured: nothing will be sent")
    notify.add(_engine(), None, "mail", "mailto://127.0.0.1:2525?mode=insecure&from=a@qingxi.example&to={to}",
               "proposal.answered", person=True)
    at = open_page(open_app("en"), "account")
    assert not at.info and at.text_input(key="own_contact").value == "Zhou@example.org"


@pytest.mark.parametrize("lang, path, words", [
    ("zh", "triage", "这个页面供工作人员使用，请先登录。登录后会回到这里。"),
    ("en", "accounts", "This page is for staff: please sign in first. You will come back here afterwards."),
    ("zh", "meetings-desk", "这个页面供工作人员使用，请先登录。登录后会回到这里。"),
])
def test_a_staff_address_opened_signed_out_asks_to_sign_in_and_comes_back(app_env, lang, path, words):
    at = open_app(lang)
    at.query_params["id"] = "7"
    at = open_page(at, path)
    assert not at.exception and [i.value for i in at.info] == [words]
    assert at.title[0].value == ("登录" if lang == "zh" else "Sign in")
    form = json.loads(at.get("bidi_component")[0].proto.json)  # the sign-in form, posted to /auth/login
    assert form["action"] == "/auth/login" and form["hidden"]["next"] == f"/{path}?lang={lang}&id=7"


def test_a_staff_address_a_role_does_not_open_says_so(sign_in_as):
    sign_in_as("deputy")
    at = open_page(open_app("en"), "accounts")
    assert not at.exception and at.title[0].value == "This page is not open to you"
    assert "accounts" not in menu(at)
