from dataclasses import dataclass

import pytest

from qingxi.core.permissions import ROLES, RULES, Denied, can, require


@dataclass
class U:
    role: str
    unit_id: int | None = None
    disabled: bool = False


def test_every_action_names_known_roles():
    assert all(roles <= set(ROLES) for roles in RULES.values())


@pytest.mark.parametrize("action", ["report.sign", "report.dispatch", "report.close", "users.manage", "export.private"])
def test_the_public_may_not_act_as_staff(action):
    assert not can(None, action)
    with pytest.raises(Denied):
        require(None, action)


def test_a_refusal_is_logged(caplog):
    with pytest.raises(Denied):
        require(U("handler", unit_id=3), "report.resolve", 4, on_report=True)
    assert "refused: handler" in caplog.text and "report.resolve" in caplog.text


def test_handlers_only_touch_their_units_reports():
    h = U("handler", unit_id=3)
    assert can(h, "report.resolve", 3, on_report=True)
    assert not can(h, "report.resolve", 4, on_report=True)
    assert not can(h, "report.resolve", None, on_report=True)
    assert not can(h, "report.dispatch", 3, on_report=True)
    assert can(U("staff"), "report.resolve", 4, on_report=True)


def test_a_disabled_account_is_the_public():
    assert not can(U("admin", disabled=True), "users.manage")
    assert can(U("admin"), "users.manage")
