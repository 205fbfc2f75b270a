"""The pledge for everyone, phone first: the text, signing for one's household, a thank-you with a
QR code to pass on, and the coverage along the river; and the door-to-door page of voters'
representatives (their village's households, paper signatures, a sheet) and staff (the text,
households per village, representatives). qingxi.pledge decides; these functions only show it."""
from __future__ import annotations

import streamlit as st

from qingxi import pledge
from qingxi.accounts import people as accounts_people
from qingxi.core import limits, permissions, places, qr
from ui import current_user, engine, labels, outcome, routes, session, t
from ui import pledge as coverage
from ui.text import plain
from ui.upload import files


def _villages() -> dict[str, str]:
    with session() as s:
        return dict(places.villages(s))


def _who() -> limits.Person:
    return limits.Person(address=getattr(st.context, "ip_address", None))


def share_url() -> str:
    return f"{routes.public_base()}/{routes.PLEDGE}"


# ---------------------------------------------------------------- the public page

def render() -> None:
    text = pledge.current_text(engine())
    st.title(t("pledge.title"))
    if text is None:
        st.info(t("pledge.error.no_text"))
        return
    if done := st.session_state.get("pledge_signed"):
        _thanks(done)
    st.subheader(plain(text.title))  # staff typed it: plain text
    if text.is_demo:
        st.warning(t("pledge.demo_note"))
    st.text(text.body)
    st.caption(t("pledge.version", version=text.version))
    if not done:
        _form()
    st.subheader(t("pledge.coverage"))
    coverage.panel("pledge_map")
    _recent()


def _recent() -> None:
    """Households that signed lately under the name they gave for display: as typed, plain text."""
    found = pledge.recent(engine())
    if found:
        st.subheader(t("pledge.recent"))
        st.text("\n".join(f"{household} · {village}" for household, village in found))


def _form() -> None:
    villages = _villages()
    st.subheader(t("pledge.sign"))
    with st.form("pledge_form"):
        village = st.selectbox(t("pledge.village"), list(villages), index=None, format_func=villages.get,
                               key="pl_village", placeholder=t("pledge.choose"))
        household = st.text_input(t("pledge.household"), max_chars=30, key="pl_household",
                                  placeholder=t("pledge.optional"))
        count = st.number_input(t("pledge.people"), min_value=1, max_value=pledge.MAX_PEOPLE, value=3, step=1,
                                key="pl_people")
        phone = st.text_input(t("pledge.phone"), key="pl_phone")
        st.caption(t("pledge.phone_note"))
        if st.form_submit_button(t("pledge.send"), type="primary", icon=":material/draw:", width="stretch"):
            result = outcome.attempt(lambda: pledge.sign(engine(), village, int(count), phone, household, who=_who()))
            if not result.ok:
                outcome.say(result)
                return
            st.session_state["pledge_signed"] = result.value
            st.rerun()


def _thanks(done: pledge.Signed) -> None:
    names = _villages()
    st.success(t("pledge.thanks", village=plain(names.get(done.village_code, "")), n=done.village_signed))
    st.image(qr.png(share_url()), caption=t("pledge.share"), width=200)
    st.code(share_url(), language=None)


# ---------------------------------------------------------------- door to door (representatives, staff)

def doors() -> None:
    user = current_user()
    if not permissions.can(user, "pledge.door"):
        st.error(t("pledge.staff_only"))
        return
    st.title(t("pledge.doors_title"))
    outcome.show("pledge")
    villages = _villages()
    if permissions.can(user, "pledge.manage"):
        code = st.selectbox(t("pledge.village"), list(villages), format_func=villages.get, key="pd_village")
    else:
        mine = pledge.my_village(engine(), user)
        if mine is None:
            st.info(t("pledge.no_village"))
            return
        code = mine[0]
        st.markdown(t("pledge.your_village", name=plain(mine[1])))
    _visit_form(user, code)
    _doors_table(user, code)
    _sheet(user)
    if permissions.can(user, "pledge.manage"):
        _manage(user, villages)


def _visit_form(user, code: str) -> None:
    st.subheader(t("pledge.visit"))
    with st.form("pledge_visit", clear_on_submit=True):
        household = st.text_input(t("pledge.door"), max_chars=30, key="pv_household")
        how = st.radio(t("pledge.outcome"), pledge.OUTCOMES, format_func=labels("pledge.outcomes"), horizontal=True,
                       key="pv_outcome")
        count = st.number_input(t("pledge.people_paper"), min_value=1, max_value=pledge.MAX_PEOPLE, value=3,
                                key="pv_people")
        phone = st.text_input(t("pledge.phone_paper"), key="pv_phone")
        note = st.text_input(t("pledge.note"), max_chars=500, key="pv_note")
        if st.form_submit_button(t("pledge.save_visit"), type="primary", width="stretch"):
            if how == "signed":
                outcome.act("pledge", lambda: pledge.enter_paper(engine(), user, code, household, int(count), phone),
                            t("pledge.paper_saved"))
            else:
                outcome.act("pledge", lambda: pledge.record_visit(engine(), user, code, household, how, note),
                            t("pledge.visit_saved"))
            st.rerun()


def _doors_table(user, code: str) -> None:
    found = outcome.attempt(lambda: pledge.doors(engine(), user, code))
    if not found.ok:
        outcome.say(found)
        return
    if not found.value:
        st.caption(t("pledge.no_doors"))
        return
    outcomes = labels("pledge.outcomes")
    st.dataframe([{t("pledge.door"): d.household, t("pledge.outcome"): outcomes(d.outcome), t("pledge.note"): d.note,
                   t("pledge.calls"): d.calls} for d in found.value], hide_index=True, width="stretch")


def _sheet(user) -> None:
    st.subheader(t("pledge.sheet"))
    st.caption(t("pledge.sheet_help"))
    turn = st.session_state.setdefault("pd_sheet_turn", 0)  # a new key empties the uploader after an import
    upload = files(t("pledge.sheet_file"), ("csv", "xlsx"), key=f"pd_sheet{turn}")
    if upload is None:
        return
    data, name = upload.getvalue(), upload.name
    found = outcome.attempt(lambda: pledge.preview(engine(), user, data, name))
    if not found.ok:
        outcome.say(found)
        return
    preview: pledge.Preview = found.value
    st.dataframe([{t("pledge.col_line"): r.line, t("pledge.col_village"): r.village, t("pledge.door"): r.household,
                   t("pledge.people"): r.people,
                   t("pledge.col_problem"): t(f"pledge.error.{r.problem}", **r.values) if r.problem else "✓"}
                  for r in preview.rows], hide_index=True, width="stretch")
    if not preview.ok:
        st.error(t("pledge.error.sheet_has_errors", n=len(preview.bad)))
        return
    if st.button(t("pledge.import", n=len(preview.rows)), type="primary", key="pd_import"):
        if outcome.act("pledge", lambda: pledge.import_sheet(engine(), user, data, name),
                       lambda n: t("pledge.imported", n=n)).ok:
            st.session_state["pd_sheet_turn"] = turn + 1
        st.rerun()


def _manage(user, villages: dict[str, str]) -> None:
    st.subheader(t("pledge.manage"))
    with st.form("pledge_households"):
        code = st.selectbox(t("pledge.village"), list(villages), format_func=villages.get, key="ph_village")
        count = st.number_input(t("pledge.households"), min_value=0, max_value=20000, value=100, key="ph_count")
        if st.form_submit_button(t("pledge.save_households")):
            outcome.act("pledge", lambda: pledge.set_households(engine(), user, code, int(count)),
                        t("pledge.households_saved"))
            st.rerun()
    with session() as s:
        reps = {p.id: p.display_name for p in accounts_people(s) if p.role == "representative"}
    if reps:
        with st.form("pledge_rep"):
            rep = st.selectbox(t("pledge.representative"), list(reps), format_func=reps.get, key="pr_user")
            code = st.selectbox(t("pledge.village"), list(villages), format_func=villages.get, key="pr_village")
            if st.form_submit_button(t("pledge.assign")):
                outcome.act("pledge", lambda: pledge.assign_representative(engine(), user, rep, code),
                            t("pledge.assigned"))
                st.rerun()
    current = pledge.current_text(engine())
    with st.form("pledge_text"):
        title = st.text_input(t("pledge.text_title"), value=current.title if current else "", key="pt_title")
        body = st.text_area(t("pledge.text_body"), value=current.body if current else "", height=200, key="pt_body")
        if st.form_submit_button(t("pledge.save_text")):
            outcome.act("pledge", lambda: pledge.edit_text(engine(), user, title, body),
                        lambda v: t("pledge.text_saved", version=v))
            st.rerun()
