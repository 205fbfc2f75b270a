"""CSV files staff open in Excel or WPS: UTF-8 with a BOM (or Chinese turns to mojibake), CRLF, and
every cell safe — a value someone typed that starts like a formula (= + - @, a tab or a carriage
return) is written with a leading apostrophe, so a reporter named =HYPERLINK(...) stays text."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TextIO

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA) else value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO(newline="")
    write_csv(out, header, rows)
    return out.getvalue().encode("utf-8-sig")


def write_csv(out: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """To a text file opened with encoding="utf-8-sig" and newline="" (rows may be a stream)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else cell(v) for v in row])
