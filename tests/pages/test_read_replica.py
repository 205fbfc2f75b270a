"""QINGXI_READ_DATABASE_URL: the public map, counts, downloads and dashboard read the replica;
reporting and following a report stay on the primary."""
import sqlite3

from qingxi.core import settings
from tests.pages.conftest import open_app, open_page


def test_public_reads_come_from_the_replica_and_writes_stay_on_the_primary(file_report, monkeypatch):
    primary = settings.current().database_url.removeprefix("sqlite:///")
    replica = primary.replace("app.db", "replica.db")
    first = file_report()
    with sqlite3.connect(primary) as src, sqlite3.connect(replica) as dst:  # the replica, as of now
        src.backup(dst)
    second = file_report()  # the replica has not caught up with this one yet
    monkeypatch.setenv("QINGXI_READ_DATABASE_URL", f"sqlite:///{replica}")
    settings.current.cache_clear()

    at = open_app("en")
    assert {m.label: m.value for m in at.metric}["Open reports"] == "1"  # read from the replica
    at = open_page(at, "map")
    assert not at.exception
    assert any("1 report" in c.value for c in at.caption)

    at = open_page(open_app("en"), "track")  # a reporter follows their report on the primary
    at.text_input(key="track_code").input(second).run()
    assert not at.exception and at.header[0].value == "Received, waiting for staff to look at it"
    at.text_input(key="track_code").input(first).run()
    assert at.header[0].value == "Received, waiting for staff to look at it"
