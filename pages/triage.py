"""The triage desk: the queue ordered by the first response clock to run out, a page at a time,
a search over every report, and one report's details and actions. Handlers see only their
unit's work (the services enforce it)."""

import streamlit as st

from qingxi import accounts
from qingxi.core import permissions
from qingxi.core.settings import current as settings
from qingxi.reports import CATEGORIES, OPEN_STATES, State, routing, triage
from qingxi.reports.triage import QueueFilter, SearchFilter
from ui import current_user, engine, labels, outcome, params, session, t, text, upload
from ui.text import plain

CLOCK_MARK = {"met": ":green[●]", "late": ":orange[●]", "running": ":gray[○]", "overdue": ":red[●]",
              "skipped": ":gray[–]"}


def render() -> None:
    user = current_user()
    if not permissions.can(user, "desk.view"):
        st.error(t("triage.denied"))
        return
    st.title(t("triage.title"))
    outcome.show("triage")
    _linked()
    with session() as s:
        villages = routing.villages(s)
        units = accounts.units(s)
    filters = _filters(villages, units)
    _search(user, villages)
    page = st.session_state.get("desk_page", 1)
    with session() as s:
        queue = triage.queue(s, user, filters, page=page, page_size=triage.PAGE_SIZE)
    _badges(queue.counts)
    if (chosen := st.session_state.get("desk_report")) is not None:
        _detail(user, chosen)  # above the queue: no scrolling past forty reports to reach it
    if not queue.items:
        st.info(t("triage.empty"))
    for item in queue.items:
        _row(item)
    _pager("desk_page", queue.page, queue.pages, queue.total)


def _linked() -> None:
    """The desk link in a group message (`/triage?report=ID`) opens that report, once for each
    address: choosing another report afterwards is not undone by the address still holding it."""
    raw = st.query_params.get("report")
    if raw is None or st.session_state.get("desk_linked") == raw:
        return
    st.session_state["desk_linked"] = raw
    found = params.id_param("report")
    if found is None:
        st.error(t("triage.error.not_found"))  # a mistyped or made-up address: a calm notice
        return
    st.session_state["desk_report"] = found


def _pager(key: str, page: int, pages: int, total: int) -> None:
    st.caption(t("triage.queue.page", page=page, pages=pages, total=total))
    if pages > 1:
        st.number_input(t("triage.queue.page_label"), min_value=1, max_value=pages, value=min(page, pages), step=1,
                        key=key)


def _search(user, villages: dict[int, str]) -> None:
    """Any report, ended and hidden ones too: by tracking code, or village / category / state / dates."""
    with st.expander(t("triage.queue.search"), icon=":material/search:"):
        with st.form("desk_search"):
            code = st.text_input(t("triage.queue.code"), key="find_code", max_chars=12)
            left, right = st.columns(2)
            village = left.selectbox(t("settings.desk.village"), list(villages), index=None, key="find_village",
                                     format_func=villages.get, placeholder=t("pick.one"))
            category = right.selectbox(t("map.filter.category"), CATEGORIES, index=None, key="find_category",
                                       format_func=labels("category"), placeholder=t("pick.one"))
            state = left.selectbox(t("settings.desk.state"), [s.value for s in State], index=None,
                                   key="find_state", format_func=labels("state"), placeholder=t("pick.one"))
            dates = right.date_input(t("map.filter.dates"), value=(), key="find_dates", format="YYYY-MM-DD")
            if st.form_submit_button(t("triage.queue.run")):
                since, until = settings().day_bounds(dates)
                st.session_state["find"] = SearchFilter(code=code or None, village_id=village, category=category,
                                                        state=state, since=since, until=until)
                st.session_state["find_page"] = 1
        if (found := st.session_state.get("find")) is None:
            return
        with session() as s:
            result = triage.search(s, user, found, page=st.session_state.get("find_page", 1),
                                   page_size=triage.PAGE_SIZE)
        if not result.total:
            st.info(t("triage.queue.none"))
            return
        for r in result.rows:
            line, act = st.columns([5, 1])
            parts = [f"#{r['id']}", t("category." + r["category"]), t("state." + r["state"]),
                     r["village"] or "—", text.when(r["created_at"])] + ([t("triage.queue.hidden")] if r["hidden"] else [])
            line.markdown(" · ".join(parts))
            act.button(t("triage.open"), key=f"find{r['id']}", on_click=st.session_state.__setitem__,
                       args=("desk_report", r["id"]))
        _pager("find_page", result.page, result.pages, result.total)


def _filters(villages: dict[int, str], units: dict[int, str]) -> QueueFilter:
    with st.expander(t("triage.filters"), icon=":material/filter_list:"):
        left, right = st.columns(2)
        category = left.selectbox(t("map.filter.category"), CATEGORIES, index=None, key="desk_category",
                                  format_func=labels("category"), placeholder=t("pick.one"))
        state = right.selectbox(t("settings.desk.state"), [s.value for s in OPEN_STATES], index=None,
                                key="desk_state", format_func=labels("state"), placeholder=t("pick.one"))
        village = left.selectbox(t("settings.desk.village"), list(villages), index=None, key="desk_village",
                                 format_func=villages.get, placeholder=t("pick.one"))
        unit = right.selectbox(f'{t("triage.filters")} · {t("settings.desk.unit")}', list(units), index=None,
                               key="desk_unit", format_func=units.get, placeholder=t("pick.one"))
    newest = st.toggle(t("triage.newest_first"), key="desk_newest", on_change=st.session_state.__setitem__,
                       args=("desk_page", 1))  # a report just filed, on page 1
    return QueueFilter(village_id=village, category=category, state=state, unit_id=unit, newest_first=newest)


def _badges(counts: dict[str, int]) -> None:
    cols = st.columns(max(len(counts), 1))
    for col, (state, n) in zip(cols, counts.items()):
        col.metric(t(f"state.{state}"), n)


def _row(item: triage.QueueItem) -> None:
    overdue = any(c.state == "overdue" for c in item.clocks)
    with st.container(border=True):
        head, act = st.columns([5, 1])
        title = f"#{item.id} · {t(f'category.{item.category}')} · {t(f'state.{item.state}')} · {plain(item.village or '—')}"
        head.markdown(f":red[**{title}**]" if overdue else f"**{title}**")  # overdue glows
        head.caption(" ".join(f"{CLOCK_MARK[c.state]} {t(f'triage.clock.{c.name}')}" for c in item.clocks)
                     + f" · {t(f'triage.priority.{item.priority}')} · {text.age(item.created_at)}"
                     + (f" · {t('triage.off_river')}" if item.off_river else ""))
        act.button(t("triage.open"), key=f"open{item.id}", on_click=st.session_state.__setitem__,
                   args=("desk_report", item.id))


def _detail(user, report_id: int) -> None:
    read = outcome.attempt(lambda: _read(user, report_id))
    if not read.ok:
        st.session_state.pop("desk_report", None)
        st.error(read.message if read.incident else t("triage.denied"))  # no such report reads as not yours
        return
    d = read.value
    st.subheader(f"#{d.id} · {t(f'category.{d.category}')}")
    st.markdown(f"{t(f'state.{d.state}')} · {plain(text.place(d.village, d.river_km, d.bank))}")
    if d.off_river:
        st.warning(t("triage.off_river"))
    st.text(d.description or "—")
    st.caption(t("triage.reporter", name=plain(d.reporter_name or "—"), phone=plain(d.reporter_phone or "—")))
    folder = settings().photo_dir
    shown = [str(folder / name) for _, _, name, hidden in d.photos if not hidden]
    if shown:
        st.image(shown, width=180)
    with st.expander(t("triage.history")):
        for h in d.history:
            st.text(f"{text.when(h.at)} · {t(f'state.{h.to_state}')} · {h.actor or '—'}"
                    f"{'' if h.public else ' · ' + t('triage.private')}\n{h.note}")
    if d.actions:
        _act(user, d)
    if permissions.can(user, "report.moderate"):
        _moderate(user, d)
    st.divider()


def _read(user, report_id: int) -> triage.Detail:
    with session() as s:
        return triage.detail(s, user, report_id)


def _moderate(user, d: triage.Detail) -> None:
    """Staff only: hide a photo or redact personal data from the description, each with a reason."""
    with st.expander(t("settings.desk.moderation"), icon=":material/shield:"):
        visible = [pid for pid, _, _, hidden in d.photos if not hidden]
        if visible:
            with st.form(f"hide_photo{d.id}", clear_on_submit=True):
                photo = st.selectbox(t("settings.desk.photo"), visible, format_func=lambda pid: f"#{pid}")
                reason = st.text_input(t("settings.desk.reason"), key=f"photo_reason{d.id}")
                if st.form_submit_button(t("settings.desk.hide_photo")):
                    outcome.act("triage", lambda: triage.hide_photo(engine(), user, photo, reason), t("triage.done"))
                    st.rerun()
        with st.form(f"redact{d.id}"):
            new = st.text_area(t("settings.desk.description"), value=d.description or "", key=f"redact_text{d.id}")
            reason = st.text_input(t("settings.desk.reason"), key=f"redact_reason{d.id}")
            if st.form_submit_button(t("settings.desk.redact")):
                outcome.act("triage", lambda: triage.redact(engine(), user, d.id, new, reason), t("triage.done"))
                st.rerun()


def _act(user, d: triage.Detail) -> None:
    """Choose an action, then fill in only what it needs; what the note's readers will be is said."""
    action = st.selectbox(t("triage.action"), d.actions, format_func=labels("triage.do"), key=f"action{d.id}")
    if action is None:
        return
    # Keyed by the action: a new form for each choice (and a st-key-act<id>-<action> class to find it by).
    with st.container(key=f"act{d.id}-{action}"), st.form(f"act{d.id}-{action}", clear_on_submit=True):
        unit = priority = target = photo = None
        if action == "dispatch":
            unit = st.selectbox(t("triage.unit"), list(d.units), format_func=d.units.get,
                                index=list(d.units).index(d.suggested_unit) if d.suggested_unit in d.units else None)
        if action == "priority":
            priority = st.segmented_control(t("triage.priority_label"), ["urgent", "normal"], default=d.priority,
                                            format_func=labels("triage.priority"))
        if action == "merge":
            target = st.number_input(t("triage.merge_into"), min_value=1, step=1, value=None)
        note, public = "", False
        if action in triage.NOTES:
            public, choice = triage.NOTES[action]
            note = st.text_area(t("triage.note"), value=d.templates[0].text if d.templates else "")
            if choice:
                public = st.checkbox(t("triage.public"), value=public, key=f"public{d.id}{action}")
            else:
                st.caption(t("triage.note_public" if public else "triage.note_private"))
        if action == "resolve":
            photo = upload.files(t("triage.after_photo"))
        if st.form_submit_button(t("triage.do_it"), type="primary"):
            _run(user, d.id, action, note, unit, priority, public, target, photo.getvalue() if photo else None)
            st.rerun()


def _run(user, rid: int, action: str, note: str, unit, priority, public: bool, target, photo) -> None:
    """One desk action through its service; the outcome shows after the rerun."""
    eng = engine()
    calls = {
        "sign": lambda: triage.sign(eng, user, rid),
        "verify": lambda: triage.verify(eng, user, rid, note),
        "priority": lambda: triage.set_priority(eng, user, rid, priority),
        "merge": lambda: triage.merge(eng, user, rid, int(target or 0), note),
        "refer": lambda: triage.refer(eng, user, rid, note),
        "hide": lambda: triage.hide(eng, user, rid, note),
        "dispatch": lambda: triage.dispatch(eng, user, rid, unit, note, public),
        "callback": lambda: triage.call_back(eng, user, rid, note, public),
        "onsite": lambda: triage.on_site(eng, user, rid, note, public),
        "progress": lambda: triage.progress(eng, user, rid, note, public),
        "transfer": lambda: triage.request_transfer(eng, user, rid, note),
        "resolve": lambda: triage.resolve(eng, user, rid, photo, note, public=public),
        "send_back": lambda: triage.send_back(eng, user, rid, note),
        "close_fixed": lambda: triage.close_fixed(eng, user, rid, note),
        "close_unfixed": lambda: triage.close_unfixed(eng, user, rid, note),
        "reopen": lambda: triage.reopen(eng, user, rid, note),
        "reply": lambda: triage.reply(eng, user, rid, note, public),
    }
    outcome.act("triage", calls[action], t("triage.done"))
