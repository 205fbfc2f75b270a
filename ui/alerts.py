"""How fast the people on duty hear of a new report: from its filing to its first staff alert
(shown on the dashboard and the notifications page, to those who may see notifications)."""
from __future__ import annotations

from datetime import timedelta

import streamlit as st

from qingxi import notify
from qingxi.core import clock
from ui import current_user, engine, t

DAYS = 30


def alert_times() -> None:
    times = notify.alert_times(engine(), current_user(), clock.now() - timedelta(days=DAYS))
    cols = st.columns(3)
    cols[0].metric(t("notify.page.alerted"), times.reports)
    cols[1].metric(t("notify.page.alert_median"), "—" if times.median_s is None else f"{times.median_s:.0f} s")
    cols[2].metric(t("notify.page.alert_p95"), "—" if times.p95_s is None else f"{times.p95_s:.0f} s")
