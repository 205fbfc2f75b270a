"""Optional single sign-on: with an OIDC provider configured, a signed-on identity maps to the
account an admin opened under that e-mail; nobody gets in by signing on alone."""
from streamlit.testing.v1 import AppTest

from db.engine import engine_for, session_scope
from qingxi import accounts
from qingxi.core.settings import current
from qingxi.ops.cli import setup
from tests.pages.conftest import LOCKED

OIDC = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "qingxi", "client_secret": "s", "server_metadata_url": "http://idp.local/.well-known/openid-configuration"}


def app(email: str | None, configured: bool = True, verified: object = True) -> AppTest:
    at = AppTest.from_file("../support/portal.py", default_timeout=60)
    at.query_params["lang"] = "zh"
    if configured:
        at.secrets["auth"] = OIDC
    at.user = {"is_logged_in": email is not None, **({"email": email, "email_verified": verified} if email else {})}
    return at.run()


def nav_titles(at: AppTest) -> set[str]:
    """The titles in the menu (not app.py's hidden stand-ins at account-only addresses)."""
    return {info["page_name"] for info in at._registered_pages.values() if info.get("icon") != LOCKED}


def test_a_known_e_mail_is_signed_in(app_env):
    setup(load_demo=False)
    with session_scope(engine_for(current().database_url)) as s:
        accounts.create_user(s, "Wang@Qingxi.gov.cn", "王芳", "staff", "long-password-1")
    at = app("wang@qingxi.gov.cn")
    assert not at.exception
    assert "分拣台" in nav_titles(at) and "工作人员登录" not in nav_titles(at)
    assert any("已登录：王芳" in c.value for c in at.sidebar.caption)


def test_an_e_mail_the_provider_did_not_verify_gets_nothing(app_env):
    setup(load_demo=False)
    with session_scope(engine_for(current().database_url)) as s:
        accounts.create_user(s, "wang@qingxi.gov.cn", "王芳", "staff", "long-password-1")
    for unverified in (False, None, "true", 1):  # only a real true will do
        at = app("wang@qingxi.gov.cn", verified=unverified)
        assert not at.exception
        assert "分拣台" not in nav_titles(at) and "工作人员登录" in nav_titles(at), unverified


def test_an_unknown_identity_gets_nothing_but_a_notice(app_env):
    at = app("stranger@example.com")
    assert "分拣台" not in nav_titles(at) and "工作人员登录" in nav_titles(at)
    h = next(h for h, i in at._registered_pages.items() if i.get("url_pathname") == "signin")
    at._page_hash = h
    at.run()
    assert "还没有为你开通账号" in at.warning[0].value
    assert any(b.label == "用单位统一身份登录" for b in at.button)


def test_without_a_provider_there_is_no_sign_on_button(app_env):
    at = app(None, configured=False)
    h = next(h for h, i in at._registered_pages.items() if i.get("url_pathname") == "signin")
    at._page_hash = h
    at.run()
    assert not at.exception and not any(b.label == "用单位统一身份登录" for b in at.button)
