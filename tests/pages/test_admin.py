"""The accounts page: admins list, invite, disable and re-role; nobody else gets in."""
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.engine import engine_for, session_scope
from db.models import User, UserSession
from qingxi import accounts
from qingxi.core.settings import current
from tests.pages.conftest import open_app, open_page


def _admin_page_alone() -> None:
    from pages import accounts

    accounts.render()


def _user(username: str) -> User:
    with session_scope(engine_for(current().database_url)) as s:
        return s.scalars(select(User).where(User.username == username)).one()


def test_non_admins_are_refused_by_the_page_itself(sign_in_as):
    for role in (None, "staff"):
        if role:
            sign_in_as(role)
        at = AppTest.from_function(_admin_page_alone, default_timeout=30).run()
        assert [e.value for e in at.error] == ["只有管理员可以管理账号。"] and not at.dataframe


def test_admin_invites_and_the_password_is_shown_once(sign_in_as):
    sign_in_as("admin")
    at = open_page(open_app("en"), "accounts")
    assert not at.exception and at.title[0].value == "Accounts" and len(at.dataframe[0].value) == 1
    at.text_input(key="invite_username").input("Li.Ming")
    at.text_input(key="invite_name").input("李明")
    at.selectbox(key="invite_role").select("deputy")
    at.button[0].click().run()  # the form's submit button
    assert at.success[0].value.startswith("Account opened")
    password = at.code[0].value
    assert accounts.sign_in(engine_for(current().database_url), "li.ming", password, "10.0.0.7")
    assert len(at.dataframe[0].value) == 2
    at.run()
    assert not at.code and not at.success  # shown once


def test_admin_sees_refusals_in_words(sign_in_as):
    sign_in_as("admin")
    at = open_page(open_app("zh"), "accounts")
    at.text_input(key="invite_username").input("li")
    at.text_input(key="invite_name").input("李明")
    at.selectbox(key="invite_role").select("handler")
    at.button[0].click().run()
    assert at.error[0].value.startswith("用户名需 3–50 个字符")
    assert not at.code


def test_admin_disables_and_changes_a_role(sign_in_as):
    staff = sign_in_as("staff")
    engine = engine_for(current().database_url)
    accounts.sign_in(engine, "test-staff", "password-1", "10.0.0.8")
    sign_in_as("admin")
    at = open_page(open_app("en"), "accounts")
    at.selectbox(key="manage_user").select(staff.id)
    at.selectbox(key=f"role_{staff.id}").select("deputy")
    next(b for b in at.button if b.label == "Save role").click().run()
    assert at.success[0].value == "Role updated." and _user("test-staff").role == "deputy"
    # Asked once, and not the highlighted button: the first tap opens the question.
    ask = next(p for p in at.get("popover") if p.proto.popover.label == "Disable account")
    assert "Test staff will be signed out everywhere" in ask.markdown[0].value
    assert all(b.proto.type != "primary" for b in at.button if "isable" in b.label)
    assert not _user("test-staff").disabled
    next(b for b in at.button if b.label == "Yes, disable").click().run()
    assert at.success[0].value.startswith("Account disabled") and _user("test-staff").disabled
    with session_scope(engine) as s:
        assert not s.scalars(select(UserSession).where(UserSession.user_id == staff.id)).all()
    assert any(b.label == "Enable account" for b in at.button)


def test_admin_resets_a_password_shown_once_that_must_be_changed(sign_in_as):
    staff = sign_in_as("staff")
    engine = engine_for(current().database_url)
    accounts.sign_in(engine, "test-staff", "password-1", "10.0.0.8")
    sign_in_as("admin")
    at = open_page(open_app("en"), "accounts")
    at.selectbox(key="manage_user").select(staff.id)
    next(b for b in at.button if b.label == "Yes, reset").click().run()
    assert at.success[0].value.startswith("Password reset")
    password = at.code[0].value
    assert _user("test-staff").must_change_password
    with session_scope(engine) as s:  # every session of that account ended
        assert not s.scalars(select(UserSession).where(UserSession.user_id == staff.id)).all()
    assert accounts.sign_in(engine, "test-staff", password, "10.0.0.7")
    at.run()
    assert not at.code and not at.success  # shown once


def test_admin_sets_someones_contact_for_notifications(sign_in_as):
    deputy = sign_in_as("deputy", "zhou")
    sign_in_as("admin")
    at = open_page(open_app("en"), "accounts")
    at.selectbox(key="manage_user").select(deputy.id).run()
    at.text_input(key=f"contact_{deputy.id}").input("138 0013 8001")
    at = next(b for b in at.button if b.label == "Save contact").click().run()
    assert at.success[0].value == "Contact saved." and _user("zhou").contact == "13800138001"
    assert "13800138001" in list(at.dataframe[0].value["Contact"])
    at.text_input(key=f"contact_{deputy.id}").input("0576-83312345")  # a landline takes no text message
    at = next(b for b in at.button if b.label == "Save contact").click().run()
    assert at.error[0].value == "Give an e-mail address or an 11-digit mobile number."
    assert _user("zhou").contact == "13800138001"
