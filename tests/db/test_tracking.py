"""What the reporter reads on /track, on SQLite and PostgreSQL: every public step and every public
word in order, never a private one; "confirm fixed" only once staff or the unit said it is done."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from db.engine import session_scope
from db.models import Report
from qingxi.reports import intake, track, triage
from qingxi.reports.intake import IntakeError
from tests.support import phone_photos


@pytest.fixture
def filed(people, tmp_path):
    """A report filed from an Android photo: (its code, its id)."""
    with session_scope(people.engine) as s:
        where = intake.place(s, *phone_photos.RIVER, "gps")
    sample = phone_photos.android_jpeg(11)
    code = intake.submit(people.engine, intake.Submission([sample.data], "bank_litter", where),
                         tmp_path / "photos").code
    with session_scope(people.engine) as s:
        return code, s.scalar(select(Report.id).where(Report.code == code))


def steps(engine, code: str) -> list[tuple[str, str]]:
    return [(e.step, e.note) for e in track.status(engine, code).timeline]


def test_every_public_step_and_word_in_order_and_no_private_one(people, filed, tmp_path):
    code, rid = filed
    e, staff, handler = people.engine, people.staff, people.handler
    triage.sign(e, staff, rid)
    triage.call_back(e, staff, rid, "电话联系了王大姐，她说垃圾还在桥下。")            # private by default
    triage.dispatch(e, staff, rid, people.unit, "请今天下午去清运。")                # instructions: private by default
    triage.reply(e, staff, rid, "已经安排村里清运，请耐心等待。")                     # public
    triage.reply(e, staff, rid, "该村上次清运拖了三天。", public=False)               # a private note
    triage.on_site(e, handler, rid, "清运车已到桥下。")
    triage.resolve(e, handler, rid, phone_photos.iphone_heic(11).data, "已清理干净。", photo_dir=tmp_path / "photos")
    assert steps(e, code) == [
        ("submitted", ""), ("signed", ""), ("dispatched", ""), ("reply", "已经安排村里清运，请耐心等待。"),
        ("on_site", "清运车已到桥下。"), ("resolved", "已清理干净。"),
    ]
    status = track.status(e, code)
    assert status.state == "resolved" and status.can_confirm
    assert [p.at for p in status.after_photos] == [phone_photos.SHOT_UTC]  # the HEIC's own clock, with its offset
    assert [p.at for p in status.photos] == [phone_photos.GPS_UTC]

    track.confirm_fixed(e, code)  # the reporter's word while staff check: it stays with staff
    status = track.status(e, code)
    assert status.state == "resolved" and status.confirmed_fixed_at and not status.can_confirm
    triage.close_fixed(e, staff, rid, "垃圾已清运完毕，谢谢反映。")
    assert steps(e, code)[-2:] == [("confirmed", ""), ("fixed", "垃圾已清运完毕，谢谢反映。")]


def test_a_note_marked_public_is_public_in_every_desk_action_that_takes_one(people, filed, tmp_path):
    code, rid = filed
    e, staff, handler = people.engine, people.staff, people.handler
    triage.sign(e, staff, rid)
    triage.call_back(e, staff, rid, "已回电，约好明早去看。", public=True)
    triage.dispatch(e, staff, rid, people.unit, "交沙柳村村委会处理。", public=True)
    triage.dispatch(e, staff, rid, people.other_unit, "改交街道处理。", public=True)
    triage.dispatch(e, staff, rid, people.unit, "内部：街道说归村里。")  # a reassignment's private note
    triage.progress(e, handler, rid, "正在调车。")
    triage.progress(e, handler, rid, "内部：车坏了。", public=False)
    triage.on_site(e, handler, rid, "内部：人到了。", public=False)
    triage.resolve(e, handler, rid, None, "内部：已处理。", public=False, photo_dir=tmp_path / "photos")
    assert steps(e, code) == [
        ("submitted", ""), ("signed", ""), ("called_back", "已回电，约好明早去看。"), ("dispatched", "交沙柳村村委会处理。"),
        ("dispatched", "改交街道处理。"), ("progress", "正在调车。"), ("on_site", ""), ("resolved", ""),
    ]


def test_confirm_fixed_is_refused_until_someone_said_it_is_done(people, filed):
    code, rid = filed
    e, staff = people.engine, people.staff

    def refused(key: str) -> None:
        before = track.status(e, code)
        with pytest.raises(IntakeError) as err:
            track.confirm_fixed(e, code)
        assert err.value.key == key and track.status(e, code) == before

    assert not track.status(e, code).can_confirm
    refused("confirm_when_done")                       # nobody has touched it
    triage.sign(e, staff, rid)
    triage.dispatch(e, staff, rid, people.unit)
    refused("confirm_when_done")                       # dispatched, not done
    triage.close_unfixed(e, staff, rid, "属于上游宁海段，已转告。")
    assert not track.status(e, code).can_confirm
    refused("cannot_confirm_closed")
    triage.reopen(e, staff, rid, "村民说是本段的。")
    triage.sign(e, staff, rid)
    triage.close_fixed(e, staff, rid, "已清理。")
    track.confirm_fixed(e, code.lower())
    refused("already_confirmed")
    assert steps(e, code)[-1] == ("confirmed", "")


def test_the_reporters_actions_are_audited_as_the_reporter_and_name_no_one(people, filed, tmp_path):
    from db.models import AuditEntry

    code, rid = filed
    triage.sign(people.engine, people.staff, rid)
    triage.close_fixed(people.engine, people.staff, rid, "已清理。")
    track.confirm_fixed(people.engine, code)
    track.rate(people.engine, code, "satisfied")
    track.still_there(people.engine, code, "又有了，电话13700000000找我", None, tmp_path / "photos")
    with session_scope(people.engine) as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action.like("reporter.%"))
                            .order_by(AuditEntry.id)).all()
        assert [(e.action, e.actor_id, e.reason, e.entity_id) for e in entries] == [
            ("reporter.confirm_fixed", None, "reporter", rid), ("reporter.rate", None, "reporter", rid),
            ("reporter.still_there", None, "reporter", rid)]
        assert not any("13700000000" in e.before + e.after + e.reason for e in entries)
