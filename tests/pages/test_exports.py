"""The downloads page: public files for everyone, the staff CSV only for staff and admins."""
import pytest

from tests.pages.conftest import open_app, open_page

PAGE = "downloads"


def _buttons(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


@pytest.mark.parametrize("lang, heading, staff_label", [
    ("zh", "数据下载", "下载完整 CSV（含个人信息）"), ("en", "Downloads", "Download the full CSV (with personal data)"),
])
def test_public_sees_the_public_files_only(app_env, lang, heading, staff_label, monkeypatch):
    from qingxi.reports import downloads

    built = []
    for name in ("public_csv", "public_geojson", "public_file", "reports_csv"):
        monkeypatch.setattr(downloads, name, lambda *a, name=name, **k: built.append(name))
    at = open_page(open_app(lang), PAGE)
    assert not at.exception and at.title[0].value == heading
    assert not _buttons(at) and built == []  # nothing is built while the page is shown
    links = [b.proto.url for b in at.get("link_button")]
    assert links == [f"/downloads/reports.csv?lang={lang}", f"/downloads/reports.geojson?lang={lang}"]


@pytest.mark.parametrize("lang, staff_label", [
    ("zh", "下载完整 CSV（含个人信息）"), ("en", "Download the full CSV (with personal data)"),
])
@pytest.mark.parametrize("role, allowed", [("staff", True), ("admin", True), ("handler", False), ("deputy", False)])
def test_the_staff_csv_only_for_staff(sign_in_as, file_report, lang, staff_label, role, allowed, monkeypatch):
    from qingxi.reports import downloads

    file_report(name="张秀兰", phone="13912345678")
    sign_in_as(role)
    built = []
    monkeypatch.setattr(downloads, "reports_csv", lambda *a, **k: built.append(1) or "")
    at = open_page(open_app(lang), PAGE)
    assert not at.exception
    labels = _buttons(at)
    assert (staff_label in labels) is allowed and len(labels) == (1 if allowed else 0)
    assert len(at.get("link_button")) == 2 and built == []  # the staff CSV is made only on a click
