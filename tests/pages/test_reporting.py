"""The report form as a villager uses it (AppTest with real uploads)."""
import re

import pytest
from sqlalchemy import select

from db.engine import engine_for, session_scope
from db.models import Report
from qingxi.core.settings import current as settings
from tests.pages.conftest import open_app, open_page
from tests.support import phone_photos
from tests.support.photo_samples import gps_ifd, jpeg

ON_RIVER = gps_ifd(121.398, 29.1492)


def reports() -> list[Report]:
    with session_scope(engine_for(settings().database_url)) as s:
        return s.scalars(select(Report)).all()


def form(lang="zh", **params):
    at = open_app(lang)
    for k, v in params.items():
        at.query_params[k] = v
    return open_page(at, "report")


def send(at):
    return next(b for b in at.button if b.label in ("提交上报", "Send report")).click().run()


@pytest.mark.parametrize("lang, placed, thanks", [
    ("zh", "位置来自照片", "上报成功"), ("en", "Location from the photo", "Report received")])
def test_file_a_report_from_a_gps_photo(app_env, lang, placed, thanks):
    at = form(lang)
    assert not at.exception
    at.file_uploader[0].upload("river.jpg", jpeg((640, 480), gps=ON_RIVER), "image/jpeg").run()
    assert placed in at.success[0].value
    at.button(key="cat_floating_litter0").click().run()
    at.segmented_control(key="size0").set_value("bag").run()
    at = send(at)
    assert not at.exception and thanks in at.success[0].value
    (report,) = reports()
    assert (report.category, report.size, report.location_source) == ("floating_litter", "bag", "gps")
    assert report.code in "".join(m.value for m in at.markdown)
    assert at.session_state["my_reports"] == [report.code]
    assert len(at.image) >= 1  # the QR code


def test_without_gps_the_person_must_place_it(app_env):
    at = form()
    at.file_uploader[0].upload("nogps.jpg", jpeg((640, 480)), "image/jpeg").run()
    assert "还不知道位置" in at.info[0].value
    at.button(key="cat_sewage0").click().run()
    at = send(at)
    assert at.error[0].value == "还没有位置，请选择位置。"
    assert reports() == []
    at.segmented_control(key="how0").set_value("village").run()
    at.selectbox(key="village0").set_value("331022003204").run()
    assert "村庄大致位置" in at.success[0].value and "沙柳村" in at.success[0].value
    send(at)
    assert reports()[0].location_source == "village"


@pytest.mark.parametrize("name, data, message", [
    ("notes.jpg", b"just some text, not a photo", "这个文件不是照片"),
    ("empty.jpg", b"", "这个文件是空的"),
])
def test_bad_files_get_a_clear_message_and_nothing_is_stored(app_env, name, data, message):
    at = form()
    at.file_uploader[0].upload(name, data, "image/jpeg").run()
    assert not at.exception
    assert message in at.error[0].value
    at.button(key="cat_other0").click().run()
    at = send(at)
    assert at.error[-1].value == "请至少上传一张照片。"
    assert reports() == [] and not any(settings().photo_dir.glob("*.jpg"))


def test_gps_zero_is_explained(app_env):
    at = form()
    at.file_uploader[0].upload("zero.jpg", jpeg((640, 480), gps=gps_ifd(0.0, 0.0)), "image/jpeg").run()
    assert "0,0" in at.warning[0].value


def test_far_away_needs_the_persons_word(app_env):
    at = form()
    at.file_uploader[0].upload("far.jpg", jpeg((640, 480), gps=gps_ifd(121.398, 29.175)), "image/jpeg").run()
    assert "超过服务距离" in at.warning[0].value
    at.button(key="cat_dead_fish0").click().run()
    at = send(at)
    assert "太远" in at.error[0].value and reports() == []
    at.checkbox(key="accept0").check().run()
    send(at)
    assert reports()[0].off_river is True


def test_signboard_link_preselects_the_place(app_env):
    at = form(village="331022003302")
    assert "流源村" in at.success[0].value
    at = form(km="2.5")
    assert "第 2.50 公里" in at.success[0].value.replace("\\", "")  # as it reads (escaped markdown)
    at = form(km="99")
    assert "无法识别" in at.warning[0].value


def test_nearby_open_report_offers_me_too(app_env):
    at = form()
    at.file_uploader[0].upload("a.jpg", jpeg((640, 480), gps=ON_RIVER), "image/jpeg").run()
    at.button(key="cat_bank_litter0").click().run()
    send(at)
    at = form()
    at.file_uploader[0].upload("b.jpg", jpeg((600, 480), gps=gps_ifd(121.3985, 29.1493)), "image/jpeg").run()
    at.button(key="cat_bank_litter0").click().run()
    assert "附近已有 1 条" in at.warning[0].value
    rid = reports()[0].id
    at.segmented_control(key=f"obs{rid}").set_value("more").run()
    at.button(key=f"metoo{rid}").click().run()
    (report,) = reports()  # supported, not reported twice
    assert report.supporters == 1
    assert "已记下" in at.success[0].value
    assert at.session_state["report_form"] == 1  # a fresh form
    from db.engine import session_scope
    from db.models import Observation, Photo
    with session_scope(engine_for(settings().database_url)) as s:
        observation = s.scalars(select(Observation)).one()
        assert observation.kind == "more" and s.get(Photo, observation.photo_id).kind == "observation"


def test_anonymous_hides_the_contact_fields(app_env):
    at = form()
    at.radio(key="vis0").set_value("anonymous").run()
    assert [t.key for t in at.text_input] == []
    assert "不保存你的姓名和电话" in at.caption[-1].value


@pytest.fixture
def app_on_each_backend(db_url, monkeypatch, tmp_path):
    """The app on an empty SQLite file or PostgreSQL schema, with its own photo folder."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("QINGXI_PHOTO_DIR", str(tmp_path / "photos"))
    settings.cache_clear()
    yield tmp_path / "photos"
    settings.cache_clear()


def test_an_unexpected_failure_while_sending_is_calm_and_stores_nothing(app_on_each_backend, monkeypatch, caplog):
    from qingxi.reports import intake

    def power_cut(*args, **kwargs):
        raise OSError(28, "No space left on device")  # after the photo files are written

    working = intake._report
    monkeypatch.setattr(intake, "_report", power_cut)
    at = form()
    sample = phone_photos.android_jpeg(31)
    at.file_uploader[0].upload(sample.name, sample.data, sample.mime).run()
    at.button(key="cat_illegal_dumping0").click().run()
    at.text_area(key="words0").input("桥下有人倒了一车建筑垃圾").run()
    at = send(at)
    assert not at.exception
    (message,) = [e.value for e in at.error]
    ref = re.search(r"编号 ([2-9A-HJKMNP-Z]{8})", message).group(1)
    assert message.startswith("没有发送成功，什么也没有保存。照片和你填写的内容都还在")
    assert reports() == [] and not any(app_on_each_backend.glob("*.jpg"))
    # The form is as the person left it: photo, category and words, ready to send again.
    assert [f.name for f in at.file_uploader[0].value] == [sample.name]
    assert at.session_state["category0"] == "illegal_dumping" and at.text_area(key="words0").value.startswith("桥下")
    assert f"incident {ref}" in caplog.text and "No space left on device" in caplog.text
    monkeypatch.setattr(intake, "_report", working)
    at = send(at)  # the same press again, now that the disk has room
    assert "上报成功" in at.success[0].value and len(reports()) == 1


def test_the_same_photo_from_someone_else_is_a_me_too_without_the_first_code(app_env):
    photo = jpeg((640, 480), gps=ON_RIVER)

    def send_photo(at):
        at.file_uploader[0].upload("river.jpg", photo, "image/jpeg").run()
        at.button(key=f"cat_bank_litter{at.session_state['report_form']}").click().run()
        return send(at)

    first = send_photo(form())
    (report,) = reports()
    assert report.code in "".join(m.value for m in first.markdown)
    again = send_photo(next(b for b in first.button if b.label == "再报一条").click().run())
    assert not again.exception and "已经上报过了" in again.success[0].value   # the same browser: its own code
    assert report.code in "".join(m.value for m in again.markdown)
    other = send_photo(form())                                               # a forwarded "original image"
    assert not other.exception and "已把你算作“我也看到了”" in other.success[0].value
    shown = "".join(m.value for m in other.markdown) + "".join(s.value for s in other.success)
    assert report.code not in shown and not other.image
    assert other.session_state["my_reports"] == []
    (report,) = reports()
    assert report.supporters == 1


def test_too_many_or_too_big_files_are_refused_before_any_is_decoded(app_env, monkeypatch):
    from qingxi.core import photos

    decoded = []
    real = photos.prepare
    monkeypatch.setattr(photos, "prepare", lambda data, *a, **k: decoded.append(len(data)) or real(data, *a, **k))
    at = form()
    at.file_uploader[0].upload("a.jpg", jpeg((640, 480), gps=ON_RIVER), "image/jpeg")
    for name in ("b.jpg", "c.jpg", "d.jpg"):
        at.file_uploader[0].upload(name, jpeg((600, 400)), "image/jpeg")
    at.run()
    assert not at.exception and "最多上传 3 张照片" in at.error[0].value
    assert decoded == [] and not at.image
    monkeypatch.setattr(photos, "MAX_BYTES", 1000)  # any real photo is "too big" now
    at = form()
    at.file_uploader[0].upload("big.jpg", jpeg((640, 480), gps=ON_RIVER), "image/jpeg").run()
    assert not at.exception and at.error[0].value.replace("\\", "") == "big.jpg: 照片超过 20 MB，请换一张或压缩后再传。"
    assert decoded == []
