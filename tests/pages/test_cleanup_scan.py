"""Check-in by QR scan: the volunteer's QR opens their sign-up page; on a staff phone it offers
one tap to check in. The public sees no such button."""
from db.engine import engine_for
from qingxi import cleanups as cu
from qingxi.core.settings import current
from tests.pages.test_cleanups import demo_event, page, staff


def test_staff_scanning_a_volunteers_qr_checks_them_in_with_one_tap(demo_db, sign_in_as):
    ev = demo_event("世界环境日")
    row = next(r for r in cu.roster(engine_for(current().database_url), staff(), ev.id) if r.status == "seated")
    assert cu.signup_url(row.code).endswith(f"?code={row.code}")  # what the QR holds

    at = page("signup", code=row.code)  # a villager (or anyone) holding the code: no check-in
    assert not at.exception and not [b for b in at.button if b.key == "scan_checkin"]

    sign_in_as("staff")
    at = page("signup", code=row.code)
    at.button(key="scan_checkin").click().run()
    assert not at.exception and at.success[0].value == "签到成功。"
    assert not [b for b in at.button if b.key == "scan_checkin"]  # checked in: nothing more to tap
    status = cu.signup_status(engine_for(current().database_url), row.code)
    assert status.checked_in_at is not None
