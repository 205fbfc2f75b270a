"""One deputy's proposal (?id=N, so a link can be shared): its text, signers, units, answers,
results, timeline, communication log (for those allowed), linked reports and clean-up days, a
map of its river section, the printable dossier and the actions this person may take now. The
domain decides what is shown and allowed (qingxi.proposals.detail)."""
from __future__ import annotations

from datetime import datetime, time

import streamlit as st

from qingxi import accounts
from qingxi import cleanups as cu
from qingxi import proposals as P
from qingxi.core import places
from qingxi.core.photos import PhotoError
from qingxi.core.settings import current as settings
from qingxi.proposals import dossier
from qingxi.reports import kind_of
from ui import current_user, engine, labels, lang, layers, meetings, outcome, params, routes, session, t, text, upload
from ui.proposals import state_line
from ui.text import plain

FILE_TYPES = ["jpg", "jpeg", "png", "webp", "heic", "heif", "pdf"]
PHOTO_TYPES = ["jpg", "jpeg", "png", "webp", "heic", "heif"]
AREA = "proposal_page"  # where the page shows how the last action went


def requested_id() -> int | None:
    return params.id_param()


def render() -> None:
    user = current_user()
    pid = requested_id()
    outcome.show(AREA)  # first: after a return or withdrawal the page may no longer be theirs
    found = outcome.attempt(lambda: P.detail(engine(), user, pid)) if pid is not None else None
    if found is None or not found.ok:
        st.title(t("proposals.title"))
        st.error(found.message if found else t("proposals.error.not_found"))
        return
    d = found.value
    section = places.river_section(engine(), d.km_from, d.km_to)
    _head(d)
    _dossier(d, section)
    st.subheader(t("proposals.text"))
    st.text(d.body)  # plain text: never markup
    _answers(d)
    _results(d)
    _reports(d)
    _cleanups(d)
    meetings.proposal_opinions(d.row.id)
    _map(d, section)
    _timeline(d)
    if d.contacts is not None:
        _contacts(d)
    if d.actions:
        st.header(t("proposals.actions"))
        _actions(user, d)


def _head(d: P.Detail) -> None:
    row = d.row
    st.title(plain(row.title))
    session_name = row.session.name(lang())
    st.caption(f'{t("proposals.number")} {row.number} · {session_name} · {t(f"proposals.topic.{row.topic}")} · '
               f'{t("proposals.filed_on")} {row.filed_on.isoformat()}')
    (st.error if row.overdue else st.info)(
        (f'{t("proposals.overdue")} · ' if row.overdue else "") + state_line(row))
    left, right = st.columns(2)
    left.markdown(f'**{t("proposals.lead")}**: {plain(row.lead_deputy)}  \n'
                  f'**{t("proposals.cosigner")}**: {plain("、".join(c.name for c in d.cosigners) or "—")}')
    right.markdown(f'**{t("proposals.lead_unit")}**: {plain(row.lead_unit or "—")}  \n'
                   f'**{t("proposals.co_units")}**: {plain("、".join(n for _, n in d.co_units) or "—")}')
    place = "、".join(n for _, n in d.villages) or "—"
    if d.km_from is not None or d.km_to is not None:
        place += " · " + t("proposals.km_range", km_from=d.km_from or 0.0,
                           km_to=d.km_to if d.km_to is not None else d.km_from or 0.0)
    st.markdown(f'**{t("proposals.villages")}**: {plain(place)}')
    if row.evaluation:
        st.markdown(f'**{t("proposals.evaluation_name")}**: {t(f"proposals.evaluation.{row.evaluation}")} · '
                    f'{text.when(d.evaluated_at)}')
    if d.extension:
        x = d.extension
        decision = x.decision or "pending"
        st.markdown(f'**{t(f"proposals.extension.{decision}")}** · {t("proposals.months", n=x.months)}'
                    f' · {plain(x.reason)}')
    if d.return_until:
        st.caption(t("proposals.return_until", day=d.return_until.isoformat()))


def _dossier(d: P.Detail, section: places.Section | None) -> None:
    """Built only when the button is pressed (thumbnails make it large); everything is bound now."""
    language = lang()
    said = meetings.opinions_of(d.row.id)
    st.download_button(t("proposals.dossier_name"), lambda: dossier.build(d, language, section, opinions=said).encode("utf-8"),
                       file_name=f"proposal-{d.row.number}.html",
                       mime="text/html", icon=":material/print:", key="dossier", on_click="ignore")


def _answers(d: P.Detail) -> None:
    st.subheader(t("proposals.answers"))
    if not d.answers:
        st.caption(t("proposals.no_answers"))
    folder = P.attachment_dir()
    for a in d.answers:
        with st.container(border=True):
            st.markdown(f'**{t(f"proposals.class.{a.answer_class}")}**'
                        + (f' · {t("proposals.action.follow_up")}' if a.follow_up else ""))
            st.caption(f'{plain(a.unit or "—")} · {plain(a.author)} · {text.when(a.at)}')
            st.text(a.text)
            for f in a.attachments:
                path = folder / f.file_name
                if path.exists():
                    st.download_button(f"{plain(f.label or f.kind)} ({f.kind})", path.read_bytes(), file_name=f.file_name,
                                       mime="application/pdf" if f.kind == "pdf" else "image/jpeg",
                                       key=f"att{f.id}", on_click="ignore", icon=":material/attach_file:")


def _results(d: P.Detail) -> None:
    st.subheader(t("proposals.progress"))
    if not d.results:
        st.caption(t("proposals.no_results"))
        return
    st.progress(int(round(d.row.progress or 0)), text=t("proposals.overall_pct", pct=round(d.row.progress or 0)))
    folder = settings().photo_dir
    for r in d.results:
        with st.container(border=True):
            st.progress(r.progress, text=f"{plain(r.title)} · {r.progress}%")
            st.caption(f'{t(f"proposals.result_kind.{r.kind}")} · {t(f"proposals.result_status.{r.status}")} · '
                       f'{t("proposals.weight")} {r.weight:g}' + (f" · km {r.river_km:.2f}" if r.river_km is not None else ""))
            thumbs = [str(folder / thumb) for _, thumb in r.photos if thumb and (folder / thumb).exists()]
            if thumbs:
                st.image(thumbs, width=160)


def _reports(d: P.Detail) -> None:
    st.subheader(t("proposals.reports"))
    if not d.reports:
        st.caption(t("proposals.no_reports"))
    folder = settings().photo_dir
    for r in d.reports:
        with st.container(border=True):
            st.markdown(f'**#{r.id}** · {t(f"category.{r.category}")} · {t(f"state.{r.state}")}'
                        + (f" · `{r.code}`" if r.code else ""))
            st.caption(plain(text.place(r.village, r.river_km, None)))
            thumbs = [str(folder / thumb) for _, thumb in r.photos if thumb and (folder / thumb).exists()]
            if thumbs:
                st.image(thumbs, width=140)


def cleanup_label(c: P.LinkedCleanup) -> str:
    """Date · title · state · kg (the kg once the results are public)."""
    kg = f' · {t("proposals.kg", kg=f"{c.kg:g}")}' if c.kg is not None else ""
    return f'{text.when(c.starts_at)[:10]} · {plain(c.title)} · {t(f"cleanups.state.{c.state}")}{kg}'


def _cleanups(d: P.Detail) -> None:
    st.subheader(t("proposals.cleanups"))
    if not d.cleanups:
        st.caption(t("proposals.no_cleanups"))
    for c in d.cleanups:
        routes.link(routes.CLEANUPS, cleanup_label(c), ":material/volunteer_activism:", id=c.id)


def _map(d: P.Detail, section: places.Section | None) -> None:
    st.subheader(t("proposals.section"))
    with session() as s:
        river = layers.river(s)
    over = [layers.result_layer([{"lon": r.lon, "lat": r.lat, "tip": f"{r.title} {r.progress}%"}
                                 for r in d.results if r.lon is not None and r.lat is not None]),
            layers.report_layer([{"id": r.id, "lon": r.lon, "lat": r.lat, "kind": kind_of(r.state).value,
                                  "tip": f"#{r.id} {t(f'category.{r.category}')}"} for r in d.reports])]
    deck = layers.section_deck(river, section.path if section else None, t("proposals.section"), over,
                               settings().tile_url, zoom=13.5)
    st.pydeck_chart(deck, key="proposal_map", height=380)
    st.caption(t("proposals.map_legend"))


def _timeline(d: P.Detail) -> None:
    st.subheader(t("proposals.timeline"))
    for item in d.timeline:
        if item.kind == "history":
            what = t(f"proposals.event.{item.action}")
        elif item.kind == "answer":
            what = f'{t("proposals.action.answer")} {item.action}'
        elif item.kind == "contact":
            what = f'{t("proposals.contact")} · {t(f"proposals.contact_method.{item.action}")}'
        else:
            what = f'{t("proposals.milestone")} · {t(f"proposals.result_status.{item.action}")}'
        st.markdown(f"**{text.when(item.at)}** · {what} · {plain(item.actor)}")
        if item.text:
            st.text(item.text)


def _contacts(d: P.Detail) -> None:
    with st.expander(t("proposals.contacts", n=len(d.contacts)), icon=":material/forum:"):
        if not d.contacts:
            st.caption(t("proposals.no_contacts"))
        for c in d.contacts:
            st.markdown(f'**{c.contacted_on.isoformat()}** · {t(f"proposals.contact_method.{c.method}")} · '
                        f'{plain(c.unit or "—")} · {plain(c.author)}')
            st.text(c.summary)


# ---------------------------------------------------------------- actions

def _act(call) -> outcome.Outcome:
    """One service call; the outcome (or the refusal, in words) shows after the rerun."""
    return outcome.act(AREA, call, t("proposals.done"), denied="proposals.denied")


def _answer(call) -> None:
    """An answer with attachments: a file that is no image says that a PDF would do too."""
    answered = outcome.attempt(call, t("proposals.done"), denied="proposals.denied")
    if isinstance(answered.value, PhotoError) and answered.value.key in ("not_image", "unsupported"):
        answered = outcome.Outcome(False, t("proposals.attachment_kind"))
    outcome.keep(AREA, answered)


def _end_of(day) -> datetime | None:
    return None if day is None else datetime.combine(day, time(23, 59), settings().timezone)


def _files(uploads) -> list[tuple[str, bytes]]:
    return [(u.name, u.getvalue()) for u in uploads or []]


def _actions(user, d: P.Detail) -> None:
    eng, pid = engine(), d.row.id
    act = set(d.actions)
    if "assign" in act:
        _assign(user, d)
    if "sign" in act:
        _button("sign", lambda: P.sign(eng, user, pid))
    if "return" in act:
        _with_reason("return", lambda reason: P.return_assignment(eng, user, pid, reason))
    if "contact" in act:
        with st.expander(t("proposals.action.contact")), st.form("pa_contact", clear_on_submit=True):
            day = st.date_input(t("proposals.contacted_on"), key="pa_contact_day", format="YYYY-MM-DD")
            method = st.selectbox(t("proposals.method"), P.CONTACT_METHODS, key="pa_contact_method",
                                  format_func=labels("proposals.contact_method"))
            summary = st.text_area(t("proposals.summary"), key="pa_contact_summary")
            if st.form_submit_button(t("proposals.action.contact")):
                _act(lambda: P.log_contact(eng, user, pid, day, method, summary))
                st.rerun()
    for name, service in (("answer", P.answer), ("follow_up", P.follow_up)):
        if name in act:
            with st.expander(t(f"proposals.action.{name}")), st.form(f"pa_{name}", clear_on_submit=True):
                klass = st.radio(t("proposals.class_name"), P.ANSWER_CLASSES, key=f"pa_{name}_class", index=None,
                                 format_func=labels("proposals.class"))
                reply = st.text_area(t("proposals.reply"), key=f"pa_{name}_text")
                files = upload.files(t("proposals.attachments"), FILE_TYPES, key=f"pa_{name}_files",
                                     multiple=True)
                if st.form_submit_button(t(f"proposals.action.{name}")):
                    _answer(lambda: service(eng, user, pid, klass, reply, _files(files)))
                    st.rerun()
    if "request_extension" in act:
        with st.expander(t("proposals.action.request_extension")), st.form("pa_ext", clear_on_submit=True):
            months = st.selectbox(t("proposals.months_label"), P.EXTENSION_MONTHS, key="pa_ext_months")
            reason = st.text_area(t("proposals.reason"), key="pa_ext_reason")
            if st.form_submit_button(t("proposals.action.request_extension")):
                _act(lambda: P.request_extension(eng, user, pid, months, reason))
                st.rerun()
    if "decide_extension" in act:
        with st.expander(t("proposals.action.decide_extension")), st.form("pa_decide", clear_on_submit=True):
            approve = st.radio(t("proposals.decision"), ["approved", "refused"], key="pa_decide_choice",
                               format_func=labels("proposals.extension"))
            note = st.text_input(t("proposals.note"), key="pa_decide_note")
            if st.form_submit_button(t("proposals.action.decide_extension")):
                _act(lambda: P.decide_extension(eng, user, pid, approve == "approved", note))
                st.rerun()
    if "evaluate" in act:
        with st.expander(t("proposals.action.evaluate"), expanded=True), st.form("pa_evaluate", clear_on_submit=True):
            verdict = st.radio(t("proposals.evaluation_name"), P.EVALUATIONS, key="pa_evaluate_choice", index=None,
                               format_func=labels("proposals.evaluation"), horizontal=True)
            reason = st.text_area(t("proposals.reasons"), key="pa_evaluate_reason")
            if st.form_submit_button(t("proposals.action.evaluate"), type="primary"):
                _act(lambda: P.evaluate(eng, user, pid, verdict, reason))
                st.rerun()
    if "publish" in act:
        _button("publish", lambda: P.publish(eng, user, pid))
    if "withdraw" in act:
        _with_reason("withdraw", lambda reason: P.withdraw(eng, user, pid, reason))
    if "link" in act:
        _link(user, d)
        _link_cleanups(user, d)
    if "result" in act:
        _result_forms(user, d)


def _button(name: str, call) -> None:
    """An action of one click (key pa_<name>)."""
    st.button(t(f"proposals.action.{name}"), key=f"pa_{name}", type="primary", on_click=_act, args=(call,))


def _with_reason(name: str, call) -> None:
    """An action that needs a written reason (form pa_<name>): call(reason)."""
    with st.expander(t(f"proposals.action.{name}")), st.form(f"pa_{name}", clear_on_submit=True):
        reason = st.text_area(t("proposals.reason"), key=f"pa_{name}_reason")
        if st.form_submit_button(t(f"proposals.action.{name}")):
            _act(lambda: call(reason))
            st.rerun()


def _assign(user, d: P.Detail) -> None:
    with session() as s:
        units = accounts.units(s)
    with st.expander(t("proposals.action.assign"), expanded=True), st.form("pa_assign", clear_on_submit=True):
        lead_unit = st.selectbox(t("proposals.lead_unit"), list(units), index=None, key="pa_assign_lead",
                                 format_func=units.get, placeholder=t("pick.one"))
        co = st.multiselect(t("proposals.co_units"), list(units), key="pa_assign_co", format_func=units.get,
                            placeholder=t("pick.many"), select_all=False)
        deadline = st.date_input(t("proposals.deadline_optional"), value=None, key="pa_assign_deadline",
                                 format="YYYY-MM-DD")
        note = st.text_input(t("proposals.note"), key="pa_assign_note")
        if st.form_submit_button(t("proposals.action.assign"), type="primary"):
            if lead_unit is None:
                outcome.refuse(AREA, t("proposals.error.bad_unit"))
            else:
                _act(lambda: P.assign(engine(), user, d.row.id, lead_unit, co, _end_of(deadline), note))
            st.rerun()


def _link(user, d: P.Detail) -> None:
    eng, pid = engine(), d.row.id
    with st.expander(t("proposals.action.link")):
        candidates = {r.id: r for r in P.linkable_reports(eng, user, pid)}
        with st.form("pa_link", clear_on_submit=True):
            picked = st.selectbox(t("proposals.link_pick"), list(candidates), index=None, key="pa_link_pick",
                                  format_func=lambda i: _report_label(candidates[i]), placeholder=t("pick.one"))
            typed = st.number_input(t("proposals.link_id"), min_value=1, step=1, value=None, key="pa_link_id")
            if st.form_submit_button(t("proposals.action.link")):
                target = typed if typed is not None else picked
                if target is None:
                    outcome.refuse(AREA, t("proposals.error.report_not_found"))
                else:
                    _act(lambda: P.link_report(eng, user, pid, int(target)))
                st.rerun()
        if d.reports:
            with st.form("pa_unlink", clear_on_submit=True):
                linked = {r.id: r for r in d.reports}
                which = st.selectbox(t("proposals.unlink_pick"), list(linked), key="pa_unlink_pick",
                                     format_func=lambda i: _report_label(linked[i]))
                reason = st.text_input(t("proposals.reason"), key="pa_unlink_reason")
                if st.form_submit_button(t("proposals.unlink")):
                    _act(lambda: P.unlink_report(eng, user, pid, which, reason))
                    st.rerun()


def _link_cleanups(user, d: P.Detail) -> None:
    """Link a clean-up day, or unlink one with a reason. The buttons act in callbacks, on what the
    person saw: a day linked or unlinked meanwhile in another tab gets the refusal in words."""
    pid, linked = d.row.id, {c.id for c in d.cleanups}
    days = {ev.id: ev for ev in cu.events(engine(), user) if ev.id not in linked}
    with st.expander(t("proposals.link_cleanup")):
        with st.form("pa_cleanup"):
            st.selectbox(t("proposals.cleanup_pick"), list(days), index=None, key="pa_cleanup_pick",
                         format_func=lambda i: f'{text.when(days[i].starts_at)[:10]} · {days[i].title} · '
                                               f'{t(f"cleanups.state.{days[i].state}")}', placeholder=t("pick.one"))
            st.form_submit_button(t("proposals.link_cleanup"), on_click=_link_cleanup, args=(user, pid))
        for c in d.cleanups:
            with st.form(f"pa_uncleanup_{c.id}"):
                st.markdown(cleanup_label(c))  # the title escaped
                st.text_input(t("proposals.reason"), key=f"pa_uncleanup_reason_{c.id}")
                st.form_submit_button(t("proposals.unlink"), on_click=_unlink_cleanup, args=(user, pid, c.id))


def _link_cleanup(user, pid: int) -> None:
    picked = st.session_state.get("pa_cleanup_pick")
    if picked is None:
        outcome.refuse(AREA, t("proposals.error.cleanup_not_found"))
    else:
        _act(lambda: P.link_cleanup(engine(), user, pid, picked))


def _unlink_cleanup(user, pid: int, cid: int) -> None:
    reason = st.session_state.get(f"pa_uncleanup_reason_{cid}", "")
    _act(lambda: P.unlink_cleanup(engine(), user, pid, cid, reason))


def _report_label(r: P.LinkedReport) -> str:
    return f"#{r.id} · {t(f'category.{r.category}')} · {t(f'state.{r.state}')} · {text.place(r.village, r.river_km, None)}"


def _result_forms(user, d: P.Detail) -> None:
    eng, pid = engine(), d.row.id
    with st.expander(t("proposals.add_result")), st.form("pa_result_add", clear_on_submit=True):
        kind = st.selectbox(t("proposals.result_kind_name"), P.RESULT_KINDS, key="pa_result_kind",
                            format_func=labels("proposals.result_kind"))
        title = st.text_input(t("proposals.result_title"), key="pa_result_title")
        weight = st.number_input(t("proposals.weight"), min_value=0.1, value=1.0, step=0.5, key="pa_result_weight")
        progress = st.number_input(t("proposals.progress_pct"), min_value=0, max_value=100, value=0, step=5,
                                   key="pa_result_progress")
        status = st.selectbox(t("proposals.result_status_name"), P.RESULT_STATUSES, key="pa_result_status",
                              format_func=labels("proposals.result_status"))
        km = st.number_input(t("proposals.river_km"), min_value=0.0, value=None, step=0.1, key="pa_result_km")
        photos = st.file_uploader(t("proposals.photos"), type=PHOTO_TYPES, accept_multiple_files=True,
                                  key="pa_result_photos")
        if st.form_submit_button(t("proposals.add_result")):
            _act(lambda: P.add_result(eng, user, pid, kind, title, weight=weight, progress=int(progress),
                                      status=status, river_km=km, photos=[p.getvalue() for p in photos or []]))
            st.rerun()
    if not d.results:
        return
    results = {r.id: r for r in d.results}
    with st.expander(t("proposals.update_result")), st.form("pa_result_update", clear_on_submit=True):
        rid = st.selectbox(t("proposals.result_title"), list(results), key="pa_update_result",
                           format_func=lambda i: f"{results[i].title} · {results[i].progress}%")
        progress = st.number_input(t("proposals.progress_pct"), min_value=0, max_value=100, value=None, step=5,
                                   key="pa_update_progress")
        status = st.selectbox(t("proposals.result_status_name"), P.RESULT_STATUSES, index=None, key="pa_update_status",
                              format_func=labels("proposals.result_status"), placeholder=t("pick.one"))
        note = st.text_input(t("proposals.milestone_note"), key="pa_update_note")
        photos = st.file_uploader(t("proposals.photos"), type=PHOTO_TYPES, accept_multiple_files=True,
                                  key="pa_update_photos")
        if st.form_submit_button(t("proposals.update_result")):
            _act(lambda: P.update_result(eng, user, rid, progress, status, note,
                                         photos=[p.getvalue() for p in photos or []]))
            st.rerun()
