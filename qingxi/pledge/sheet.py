"""Paper signatures in bulk from a CSV or Excel sheet: a preview names every bad row with its reason
(missing village, unknown village, duplicate in the sheet or already signed, impossible household
size, bad phone, another village than the representative's), and nothing is imported until every
row is good. A file that is not a CSV or an .xlsx (by its bytes, not its name) is refused.

Columns, found by their header (Chinese or English): 村 / village (name or code), 户名 / household,
人数 / people, 电话 / phone (optional)."""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from db import pledge_queries as q
from db.models import User
from qingxi.core import permissions
from qingxi.core.acting import acting
from qingxi.pledge.doors import add_visit
from qingxi.pledge.rules import (
    PledgeError,
    checked_household,
    checked_people,
    checked_phone,
    household_key,
    village_lookup,
)
from qingxi.pledge.signing import _add

MAX_ROWS = 2000
HEADERS = {
    "village": ("村", "村名", "村庄", "village"),
    "household": ("户名", "户", "户主", "门牌", "household"),
    "people": ("人数", "人口", "people"),
    "phone": ("电话", "手机", "phone"),
}


@dataclass(frozen=True)
class Row:
    line: int              # the row's number in the sheet (the header is 1)
    village: str
    household: str
    people: str
    problem: str | None    # pledge.error.<problem>, None when the row is good
    values: dict           # what the problem's message needs


@dataclass(frozen=True)
class Preview:
    rows: list[Row]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and all(r.problem is None for r in self.rows)

    @property
    def bad(self) -> list[Row]:
        return [r for r in self.rows if r.problem]


def _cells(data: bytes, filename: str) -> list[list[str]]:
    name = (filename or "").lower()
    if name.endswith(".xlsx") and zipfile.is_zipfile(io.BytesIO(data)):
        from openpyxl import load_workbook
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            rows = [["" if c is None else str(c).strip() for c in row] for row in sheet.iter_rows(values_only=True)]
        except Exception:  # a damaged workbook is no workbook  # noqa: BLE001
            raise PledgeError("wrong_file_type") from None
        return rows
    if name.endswith(".csv") and b"\x00" not in data:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise PledgeError("wrong_file_type")
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    raise PledgeError("wrong_file_type")


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for i, cell in enumerate(header):
        for field, names in HEADERS.items():
            if cell.strip().lower() in names and field not in found:
                found[field] = i
    if not {"village", "household", "people"} <= found.keys():
        raise PledgeError("bad_columns")
    return found


def _parsed(data: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    cells = [row for row in _cells(data, filename)]
    if not cells:
        raise PledgeError("empty_sheet")
    cols = _columns(cells[0])
    rows = []
    for line, row in enumerate(cells[1:], start=2):
        if not any(row):
            continue
        rows.append((line, {f: (row[i] if i < len(row) else "") for f, i in cols.items()}))
    if not rows:
        raise PledgeError("empty_sheet")
    if len(rows) > MAX_ROWS:
        raise PledgeError("too_many_rows", most=MAX_ROWS)
    return rows


def _check(s, actor: User, rows) -> tuple[list[Row], list[dict]]:
    villages = village_lookup(s)
    phones, households = q.signed_keys(s)
    mine = q.representative_village(s, actor.id) if permissions.role_of(actor) == "representative" else None
    seen_phones, seen_households = set(), set()
    out, good = [], []
    for line, r in rows:
        problem, values, clean = None, {}, None
        try:
            if not r["village"]:
                raise PledgeError("missing_village")
            village_id = villages.get(r["village"])
            if village_id is None:
                raise PledgeError("unknown_village")
            if permissions.role_of(actor) == "representative" and (mine is None or mine.id != village_id):
                raise PledgeError("not_your_village")
            household = checked_household(r["household"], required=True)
            people = checked_people(r["people"])
            phone = checked_phone(r.get("phone"), required=False)
            key = (village_id, household_key(household))
            if key in seen_households or (phone and phone in seen_phones):
                raise PledgeError("duplicate_row")
            if key in households or (phone and phone in phones):
                raise PledgeError("household_signed")
            seen_households.add(key)
            if phone:
                seen_phones.add(phone)
            clean = dict(village_id=village_id, household=household, people=people, phone=phone)
        except PledgeError as err:
            problem, values = err.key, err.values
        out.append(Row(line, r["village"], r["household"], r["people"], problem, values))
        if clean:
            good.append(clean)
    return out, good


def preview(engine: Engine, user, data: bytes, filename: str) -> Preview:
    """Every row with its problem, nothing written."""
    rows = _parsed(data, filename)
    with acting(engine, user, "pledge.door") as c:
        checked, _ = _check(c.session, c.actor, rows)
        return Preview(checked)


def import_sheet(engine: Engine, user, data: bytes, filename: str, *, now: datetime | None = None) -> int:
    """Import every row, or none: PledgeError("sheet_has_errors") when any row is bad."""
    rows = _parsed(data, filename)
    with acting(engine, user, "pledge.door", now=now, write=True) as c:
        s = c.session
        checked, good = _check(s, c.actor, rows)
        bad = [r for r in checked if r.problem]
        if bad:
            raise PledgeError("sheet_has_errors", n=len(bad))
        text = q.latest_text(s)
        if text is None:
            raise PledgeError("no_text")
        for g in good:
            _add(s, text.id, g["village_id"], g["household"], g["people"], g["phone"], "sheet", c.actor.id, c.at)
            add_visit(s, c.actor, g["village_id"], g["household"], "signed", "", c.at)
        c.audit("pledge.sheet", {}, {"rows": len(good), "file": filename[:80]}, entity="pledge_sheet", entity_id=0)
        return len(good)
