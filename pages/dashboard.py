"""The one-screen dashboard (一屏统揽) for staff and deputies: open reports by state, village and
category, this week's and month's flow, the response clocks week by week, the overdue list, open
reports along the river and what reporters think. Figures come from qingxi.dashboard (SQL
aggregates), cached for 30 seconds per database and role, after the permission check."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from qingxi.core import clock, limits, permissions
from qingxi.core.settings import current as settings
from qingxi.reports import dashboard
from qingxi.reports.clocks import CLOCKS
from ui import alerts, current_user, engine, labels, meetings, read_session, t, text


@st.cache_data(ttl=30, show_spinner=False)
def _overview(database_url: str, role: str) -> dashboard.Overview:
    # Keyed by the database (tests use several) and the viewer's role, so a cached figure is only
    # ever served to someone with the same permissions (today every allowed role sees the same).
    with read_session() as s:
        return dashboard.overview(s, clock.now(), settings().timezone)


def render() -> None:
    if not permissions.can(current_user(), "dashboard.view"):
        st.error(t("dashboard.denied"))
        return
    st.title(t("dashboard.title"))
    o = _overview(settings().read_database_url, permissions.role_of(current_user()))
    st.caption(t("dashboard.cached"))
    _metrics(o)
    _open(o)
    _clocks(o)
    _overdue(o)
    if permissions.can(current_user(), "notify.view"):
        alerts.alert_times()  # the article's 30-second sign-off starts with the alert
    meetings.overdue_commitments(current_user())
    if permissions.can(current_user(), "limits.view"):
        _refusals()
    left, right = st.columns([3, 2])
    with left:
        _river(o)
    with right:
        _ratings(o)


def _metrics(o: dashboard.Overview) -> None:
    cols = st.columns(2)
    cols[0].metric(t("dashboard.open"), o.open_total)
    cols[1].metric(t("dashboard.overdue_n"), o.overdue_total)
    for title, flow in ((t("dashboard.week"), o.week), (t("dashboard.month"), o.month)):
        st.markdown(f"**{title}**")
        a, b, c = st.columns(3)
        a.metric(t("dashboard.new"), flow.new)
        b.metric(t("dashboard.fixed"), flow.fixed)
        c.metric(t("dashboard.closed"), flow.closed)


def _bars(counts: dict[str, int], label: str, *, sort: bool = True) -> None:
    if not counts:
        st.caption(t("dashboard.none"))
        return
    df = pd.DataFrame({label: list(counts), t("dashboard.count"): list(counts.values())})
    y = alt.Y(f"{label}:N", sort="-x" if sort else None, title=None)
    chart = alt.Chart(df).mark_bar().encode(x=alt.X(f"{t('dashboard.count')}:Q", axis=alt.Axis(tickMinStep=1)), y=y,
                                            tooltip=list(df.columns))
    st.altair_chart(chart, width="stretch")


def _open(o: dashboard.Overview) -> None:
    st.subheader(t("dashboard.open_title"))
    by_state, by_village, by_category = st.columns(3)
    with by_state:
        st.markdown(f"**{t('dashboard.by_state')}**")
        _bars({t(f"state.{k}"): n for k, n in o.by_state.items()}, t("dashboard.state"), sort=False)
    with by_village:
        st.markdown(f"**{t('dashboard.by_village')}**")
        _bars({(k or t("dashboard.no_village")): n for k, n in o.by_village.items()}, t("dashboard.village"))
    with by_category:
        st.markdown(f"**{t('dashboard.by_category')}**")
        _bars({t(f"category.{k}"): n for k, n in o.by_category.items()}, t("dashboard.category"))


def _clocks(o: dashboard.Overview) -> None:
    st.subheader(t("dashboard.clocks"))
    st.caption(t("dashboard.clocks_hint"))
    week, clock, share = t("dashboard.week_col"), t("dashboard.clock_col"), t("dashboard.share")
    shares = pd.DataFrame([{week: text.week(r.week), clock: t(f"triage.clock.{r.clock}"),
                            share: None if r.share is None else round(100 * r.share, 1)} for r in o.clock_weeks])
    shares = shares.dropna()
    if shares.empty:
        st.caption(t("dashboard.none"))
    else:
        _share_chart(shares, [text.week(w) for w in o.weeks], week, clock, share)
    # A week with no stopped clock says so in words (a bare empty cell would read "None").
    medians = {text.week(w): {t(f"triage.clock.{c}"): t("dashboard.no_median") for c in CLOCKS} for w in o.weeks}
    for r in o.clock_weeks:
        if r.median_seconds is not None:
            medians[text.week(r.week)][t(f"triage.clock.{r.clock}")] = f"{r.median_seconds / 3600:.2f}"
    st.markdown(f"**{t('dashboard.medians')}**")
    st.dataframe(pd.DataFrame.from_dict(medians, orient="index").rename_axis(week), width="stretch")


def _share_chart(shares: pd.DataFrame, weeks: list[str], week: str, clock: str, share: str) -> None:
    chart = (alt.Chart(shares).mark_line(point=True)
             .encode(x=alt.X(f"{week}:O", sort=weeks), y=alt.Y(f"{share}:Q", scale=alt.Scale(domain=[0, 100])),
                     color=alt.Color(f"{clock}:N", sort=[t(f"triage.clock.{c}") for c in CLOCKS]),
                     tooltip=[week, clock, share]))
    st.altair_chart(chart, width="stretch")


def _overdue(o: dashboard.Overview) -> None:
    st.subheader(t("dashboard.overdue"))
    if not o.overdue:
        st.success(t("dashboard.overdue_none"))
        return
    rows = [{t("dashboard.col.id"): f"#{x.id}", t("dashboard.col.category"): t(f"category.{x.category}"),
             t("dashboard.col.state"): t(f"state.{x.state}"), t("dashboard.col.village"): x.village or t("dashboard.no_village"),
             t("dashboard.col.priority"): t(f"triage.priority.{x.priority}"),
             t("dashboard.col.clocks"): t("dashboard.list_sep").join(t(f"triage.clock.{c}") for c in x.overdue),
             t("dashboard.col.due"): text.when(x.due_at)} for x in o.overdue]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if o.overdue_total > len(o.overdue):
        st.caption(t("dashboard.overdue_shown", shown=len(o.overdue), total=o.overdue_total))


def _river(o: dashboard.Overview) -> None:
    st.subheader(t("dashboard.river"))
    if not o.km:
        st.caption(t("dashboard.none"))
        return
    last = max(o.km)
    steps = [i * dashboard.BUCKET_KM for i in range(int(min(0, min(o.km)) / dashboard.BUCKET_KM),
                                                   int(last / dashboard.BUCKET_KM) + 1)]
    km, count = t("dashboard.km"), t("dashboard.count")
    df = pd.DataFrame({km: [f"{s:.1f}" for s in steps], count: [o.km.get(s, 0) for s in steps]})
    chart = (alt.Chart(df).mark_bar()
             .encode(x=alt.X(f"{km}:O", sort=None), y=alt.Y(f"{count}:Q", axis=alt.Axis(tickMinStep=1)),
                     color=alt.Color(f"{count}:Q", scale=alt.Scale(scheme="orangered"), legend=None),
                     tooltip=[km, count]))
    st.altair_chart(chart, width="stretch")


def _ratings(o: dashboard.Overview) -> None:
    st.subheader(t("dashboard.ratings"))
    if not any(o.ratings.values()):
        st.caption(t("dashboard.none"))
        return
    _bars({t(f"rating.{k}"): n for k, n in o.ratings.items()}, t("dashboard.rating"), sort=False)


def _refusals() -> None:
    """What the limits on anonymous actions refused this week: counts per action, the latest ones
    (masked address or phone, never the value)."""
    counts, latest = limits.refused_lately(engine(), current_user())
    with st.expander(t("dashboard.refusals.title", n=sum(counts.values()))):
        if not latest:
            st.caption(t("dashboard.refusals.none"))
            return
        name = labels("dashboard.refusals.action")
        st.caption(t("dashboard.refusals.counts") + " " + " · ".join(f"{name(a)} {n}" for a, n in sorted(counts.items())))
        st.dataframe(pd.DataFrame({
            t("dashboard.refusals.when"): [text.when(r.at) for r in latest],
            t("dashboard.refusals.what"): [name(r.action) for r in latest],
            t("dashboard.refusals.who"): [r.shown for r in latest],
        }), hide_index=True, width="stretch")
