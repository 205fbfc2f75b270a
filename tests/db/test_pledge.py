"""The pledge on SQLite and PostgreSQL: versions, signing by household, representatives at the
door, the paper sheet (every bad row named, all or nothing) and coverage in river order — every bad
input refused with its key and nothing written."""
from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from db.engine import session_scope
from db.models import PledgeSignature, PledgeVisit, User
from qingxi import pledge
from qingxi.core import limits
from qingxi.core.permissions import Denied
from qingxi.pledge import PledgeError
from tests.support.people import OTHER_VILLAGE, VILLAGE

T0 = datetime(2026, 6, 1, 2, 0, tzinfo=timezone.utc)


class W:
    def __init__(self, people, rep: User):
        self.engine, self.staff, self.deputy, self.rep = people.engine, people.staff, people.deputy, rep


@pytest.fixture
def w(people):
    pledge.install_demo_text(people.engine)
    with session_scope(people.engine) as s:
        rep = User(username="rep", display_name="王代表", role="representative")
        s.add(rep)
        s.flush()
    pledge.assign_representative(people.engine, people.staff, rep.id, VILLAGE)
    return W(people, rep)


def count(engine, model=PledgeSignature) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def refused(key: str, fn, *a, **kw):
    with pytest.raises(PledgeError) as err:
        fn(*a, **kw)
    assert err.value.key == key
    return err.value


def test_demo_text_is_marked_and_edits_keep_versions(w):
    first = pledge.current_text(w.engine)
    assert first.version == 1 and first.is_demo and "演示" in first.title
    signed = pledge.sign(w.engine, VILLAGE, 3, "13800000001")
    assert signed.version == 1
    assert pledge.edit_text(w.engine, w.staff, "关于保护清溪母亲河的倡议书", "正式文本") == 2
    now = pledge.current_text(w.engine)
    assert (now.version, now.is_demo) == (2, False)
    assert [t.version for t in pledge.versions(w.engine)] == [2, 1]
    assert pledge.sign(w.engine, VILLAGE, 2, "13800000002").version == 2
    with session_scope(w.engine) as s:
        assert sorted(r.text_id for r in s.scalars(select(PledgeSignature))) == [first.id, now.id]
    with pytest.raises(Denied):
        pledge.edit_text(w.engine, w.deputy, "x", "y")
    refused("text_needed", pledge.edit_text, w.engine, w.staff, "", "body")


def test_a_phone_or_a_household_signs_once(w):
    pledge.sign(w.engine, VILLAGE, 4, "138 0000 0001", household="王家")
    refused("phone_signed", pledge.sign, w.engine, OTHER_VILLAGE, 2, "+8613800000001")
    refused("household_signed", pledge.sign, w.engine, VILLAGE, 2, "13800000009", household=" 王 家")
    # the same name in another village is another household
    pledge.sign(w.engine, OTHER_VILLAGE, 2, "13800000003", household="王家")
    assert count(w.engine) == 2


@pytest.mark.parametrize("args, key", [
    ((VILLAGE, 0, "13800000001"), "bad_people"),
    ((VILLAGE, 31, "13800000001"), "bad_people"),
    ((VILLAGE, "2.5", "13800000001"), "bad_people"),
    ((VILLAGE, 2, ""), "phone_needed"),
    ((VILLAGE, 2, "12345"), "bad_phone"),
    (("999", 2, "13800000001"), "unknown_village"),
    (("", 2, "13800000001"), "village_needed"),
])
def test_bad_signatures_are_refused(w, args, key):
    refused(key, pledge.sign, w.engine, *args)
    assert count(w.engine) == 0


def test_signing_is_rate_limited(w):
    who = limits.Person(address="10.1.2.3")
    for i in range(3):
        pledge.sign(w.engine, VILLAGE, 1, f"1380000000{i}", who=who, now=T0)
    # a refused signature does not count against the person
    refused("phone_signed", pledge.sign, w.engine, VILLAGE, 1, "13800000000", who=who, now=T0)
    for i in range(3, 30):
        pledge.sign(w.engine, OTHER_VILLAGE, 1, f"139000000{i:02d}", who=who, now=T0)
    with pytest.raises(limits.LimitError):
        pledge.sign(w.engine, OTHER_VILLAGE, 1, "13700000000", who=who, now=T0)
    assert count(w.engine) == 30


def test_representative_records_their_street(w):
    pledge.record_visit(w.engine, w.rep, VILLAGE, "1组3号", "not_home", now=T0)
    pledge.record_visit(w.engine, w.rep, VILLAGE, "1组4号", "declined", "说再考虑", now=T0)
    pledge.enter_paper(w.engine, w.rep, VILLAGE, "1组3号", 5, now=T0)
    doors = {d.household: d for d in pledge.doors(w.engine, w.rep, VILLAGE)}
    assert (doors["1组3号"].outcome, doors["1组3号"].calls) == ("signed", 2)
    assert (doors["1组4号"].outcome, doors["1组4号"].note) == ("declined", "说再考虑")
    assert pledge.my_village(w.engine, w.rep) == (VILLAGE, "沙柳村")
    refused("household_signed", pledge.enter_paper, w.engine, w.rep, VILLAGE, "1组3号", 2)
    refused("not_your_village", pledge.record_visit, w.engine, w.rep, OTHER_VILLAGE, "2组1号", "visited")
    refused("not_your_village", pledge.enter_paper, w.engine, w.rep, OTHER_VILLAGE, "2组1号", 2)
    refused("bad_outcome", pledge.record_visit, w.engine, w.rep, VILLAGE, "1组5号", "maybe")
    refused("household_needed", pledge.record_visit, w.engine, w.rep, VILLAGE, " ", "visited")
    with pytest.raises(Denied):
        pledge.record_visit(w.engine, w.deputy, VILLAGE, "1组5号", "visited")
    with pytest.raises(Denied):
        pledge.assign_representative(w.engine, w.rep, w.rep.id, OTHER_VILLAGE)
    refused("not_a_representative", pledge.assign_representative, w.engine, w.staff, w.deputy.id, VILLAGE)
    assert count(w.engine) == 1 and count(w.engine, PledgeVisit) == 3


def csv_sheet(*rows: str) -> bytes:
    return ("村,户名,人数,电话\n" + "\n".join(rows) + "\n").encode("utf-8-sig")


def xlsx_sheet(*rows: tuple) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["village", "household", "people", "phone"])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_sheet_with_bad_rows_names_each_and_imports_nothing(w):
    pledge.sign(w.engine, VILLAGE, 2, "13800000009", household="已签户")
    data = csv_sheet(
        "沙柳村,1组1号,3,",
        ",1组2号,3,",                 # missing village
        "月亮村,1组3号,3,",           # unknown village
        "沙柳村,1组1号,2,",           # duplicate of row 2
        "沙柳村,1组4号,0,",           # impossible household size
        "沙柳村,1组5号,99,",          # impossible household size
        "沙柳村,已签户,2,",           # signed online already
        f"{VILLAGE},1组6号,4,13800000007",
    )
    found = pledge.preview(w.engine, w.staff, data, "户.csv")
    assert not found.ok
    assert [(r.line, r.problem) for r in found.bad] == [
        (3, "missing_village"), (4, "unknown_village"), (5, "duplicate_row"), (6, "bad_people"),
        (7, "bad_people"), (8, "household_signed")]
    err = refused("sheet_has_errors", pledge.import_sheet, w.engine, w.staff, data, "户.csv")
    assert err.values == {"n": 6}
    assert count(w.engine) == 1


def test_a_good_sheet_imports_every_row(w):
    data = xlsx_sheet(("沙柳村", "2组1号", 3, None), (VILLAGE, "2组2号", "4", "13800000021"))
    found = pledge.preview(w.engine, w.rep, data, "paper.xlsx")
    assert found.ok and len(found.rows) == 2
    assert pledge.import_sheet(w.engine, w.rep, data, "paper.xlsx", now=T0) == 2
    assert {d.household: d.outcome for d in pledge.doors(w.engine, w.rep, VILLAGE)} == {"2组1号": "signed",
                                                                                        "2组2号": "signed"}
    # the same sheet again: every row already signed
    assert {r.problem for r in pledge.preview(w.engine, w.rep, data, "paper.xlsx").rows} == {"household_signed"}
    # a representative's sheet with another village's rows
    other = csv_sheet("清溪社区,3组1号,2,")
    assert pledge.preview(w.engine, w.rep, other, "x.csv").bad[0].problem == "not_your_village"


@pytest.mark.parametrize("data, name", [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "sheet.csv"),
    (b"PK\x03\x04 not a workbook", "sheet.xlsx"),
    (csv_sheet("沙柳村,1组1号,3,"), "sheet.pdf"),
    (b"\xff\xfe\x00\x00garbage", "sheet.csv"),
])
def test_wrong_file_type_is_refused(w, data, name):
    refused("wrong_file_type", pledge.preview, w.engine, w.staff, data, name)
    refused("wrong_file_type", pledge.import_sheet, w.engine, w.staff, data, name)
    assert count(w.engine) == 0


def test_sheet_without_the_columns_or_rows(w):
    refused("bad_columns", pledge.preview, w.engine, w.staff, "a,b\n1,2\n".encode(), "x.csv")
    refused("empty_sheet", pledge.preview, w.engine, w.staff, "村,户名,人数\n".encode(), "x.csv")


def test_coverage_rises_in_river_order(w):
    pledge.set_households(w.engine, w.staff, VILLAGE, 4)
    refused("bad_households", pledge.set_households, w.engine, w.staff, VILLAGE, -1)
    with pytest.raises(Denied):
        pledge.set_households(w.engine, w.rep, VILLAGE, 10)
    before = {c.code: c for c in pledge.coverage(w.engine)}
    assert before[VILLAGE].share == 0 and before[OTHER_VILLAGE].share is None
    pledge.sign(w.engine, VILLAGE, 3, "13800000001")
    after = pledge.coverage(w.engine)
    mine = next(c for c in after if c.code == VILLAGE)
    assert (mine.signed, mine.people, mine.share) == (1, 3, 0.25)
    kms = [c.river_km for c in after if c.river_km is not None]
    assert kms == sorted(kms) and len(kms) >= 2
