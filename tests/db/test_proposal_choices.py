"""The reads the proposal screens add to the domain: what the forms offer to pick, and the
proposals a report supports looked up by its tracking code (published only for the public)."""
from sqlalchemy import select

from db.engine import session_scope
from db.models import Proposal, Report, User
from qingxi import proposals as P
from qingxi.reports import intake
from tests.db.test_proposals import T0, new_proposal, u, w  # noqa: F401  (w is a fixture)
from tests.support.photo_samples import gps_ifd, jpeg


def test_choices_offer_sessions_active_units_deputy_accounts_and_villages(w):  # noqa: F811
    with session_scope(w.engine) as s:
        s.add(User(username="gone_deputy", display_name="已停用代表", role="deputy", disabled=True))
    c = P.choices(w.engine)
    assert [x.id for x in c.sessions] == [w.session_id]
    assert set(c.units) == {w.u_lead, w.u_co, w.u_other}
    assert set(c.deputies.values()) == {"周代表", "张代表", "李代表"}   # no staff, no disabled deputy
    assert w.village in c.villages and len(c.villages) == 18


def test_proposals_for_code_shows_the_public_only_published_ones(w, tmp_path):  # noqa: F811
    with session_scope(w.engine) as s:
        where = intake.place(s, 121.398, 29.1492, "gps")
    code = intake.submit(w.engine, intake.Submission([jpeg((500, 300), gps=gps_ifd(121.398, 29.1492))],
                                                     "bank_litter", where), tmp_path).code
    with session_scope(w.engine) as s:
        rid = s.scalar(select(Report.id).where(Report.code == code))
    pid = new_proposal(w)
    P.link_report(w.engine, u(w, "staff"), pid, rid, now=T0)
    assert P.proposals_for_code(w.engine, code) == []                       # submitted: not public
    assert [r.id for r in P.proposals_for_code(w.engine, code.lower(), u(w, "staff"))] == [pid]
    assert P.proposals_for_code(w.engine, "NOSUCH") == []
    with session_scope(w.engine) as s:
        s.get(Proposal, pid).state = "published"  # as publish() leaves it
    assert [r.title for r in P.proposals_for_code(w.engine, code)] == ["关于深化清溪两岸综合整治的建议"]
