"""The downloads page: public files for everyone, the staff CSV only for staff and admins."""
import pytest

from tests.pages.conftest import open_app, open_page

PAGE = "downloads"


def _buttons(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


@pytest.mark.parametrize("lang, heading, staff_label", [
    ("zh", "数据下载", "下载完整 CSV（含个人信息）"), ("en", "Downloads", "Download the full CSV (with personal data)"),
])
def test_public_sees_the_public_files_only(app_env, lang, heading, staff_label):
    at = open_page(open_app(lang), PAGE)
    assert not at.exception and at.title[0].value == heading
    labels = _buttons(at)
    assert len(labels) == 2 and staff_label not in labels


@pytest.mark.parametrize("lang, staff_label", [
    ("zh", "下载完整 CSV（含个人信息）"), ("en", "Download the full CSV (with personal data)"),
])
@pytest.mark.parametrize("role, allowed", [("staff", True), ("admin", True), ("handler", False), ("deputy", False)])
def test_the_staff_csv_only_for_staff(sign_in_as, file_report, lang, staff_label, role, allowed):
    file_report(name="张秀兰", phone="13912345678")
    sign_in_as(role)
    at = open_page(open_app(lang), PAGE)
    assert not at.exception
    labels = _buttons(at)
    assert (staff_label in labels) is allowed and len(labels) == (3 if allowed else 2)
