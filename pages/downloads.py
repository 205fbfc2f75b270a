"""Downloads: public CSV and GeoJSON for everyone; the staff CSV (with the reporter's contact
details) only for those who may export private data — the service checks that again."""
import streamlit as st

from qingxi.core import permissions
from qingxi.reports import downloads
from qingxi.reports.open311 import MAX_RESULTS
from ui import current_user, engine, lang, read_engine, t


def render() -> None:
    user = current_user()
    st.title(t("downloads.title"))
    st.caption(t("downloads.intro"))

    st.subheader(t("downloads.public_title"))
    st.markdown(t("downloads.public_note"))
    cols = st.columns(2)
    cols[0].download_button(t("downloads.public_csv"), downloads.public_csv(read_engine(), lang()),
                            file_name="qingxi-reports-public.csv", mime="text/csv",
                            icon=":material/table:", key="export_public_csv")
    cols[1].download_button(t("downloads.public_geojson"), downloads.public_geojson(read_engine(), lang()),
                            file_name="qingxi-reports-public.geojson", mime="application/geo+json",
                            icon=":material/map:", key="export_public_geojson")

    if permissions.can(user, "export.private"):
        st.subheader(t("downloads.staff_title"))
        st.warning(t("downloads.staff_note"))
        st.download_button(t("downloads.staff_csv"), downloads.reports_csv(engine(), user, lang()),
                           file_name="qingxi-reports-staff.csv", mime="text/csv",
                           icon=":material/lock:", key="export_staff_csv")

    st.subheader(t("downloads.api_title"))
    st.markdown(t("downloads.api_note", max=MAX_RESULTS))
    st.code("/open311/v2/services.json\n/open311/v2/requests.json?status=open&service_code=sewage\n"
            "/open311/v2/requests/{id}.json", language=None)
