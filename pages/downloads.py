"""Downloads: public CSV and GeoJSON for everyone; the staff CSV (with the reporter's contact
details) only for those who may export private data — the service checks that again."""
import streamlit as st

from qingxi.core import permissions
from qingxi.reports import downloads
from qingxi.reports.open311 import MAX_RESULTS
from ui import current_user, engine, lang, routes, t


def render() -> None:
    user = current_user()
    st.title(t("downloads.title"))
    st.caption(t("downloads.intro"))

    st.subheader(t("downloads.public_title"))
    st.markdown(t("downloads.public_note"))
    # Links to the streamed files (web.downloads): nothing is built while this page is shown.
    cols = st.columns(2)
    cols[0].link_button(t("downloads.public_csv"), routes.download_url("csv", lang()), icon=":material/table:")
    cols[1].link_button(t("downloads.public_geojson"), routes.download_url("geojson", lang()), icon=":material/map:")

    if permissions.can(user, "export.private"):
        st.subheader(t("downloads.staff_title"))
        st.warning(t("downloads.staff_note"))
        eng, language = engine(), lang()  # bound now: the file is made only when the button is pressed
        st.download_button(t("downloads.staff_csv"), lambda: downloads.reports_csv(eng, user, language),
                           file_name="qingxi-reports-staff.csv", mime="text/csv",
                           icon=":material/lock:", key="export_staff_csv")

    st.subheader(t("downloads.api_title"))
    st.markdown(t("downloads.api_note", max=MAX_RESULTS))
    st.code("/open311/v2/services.json\n/open311/v2/requests.json?status=open&service_code=sewage\n"
            "/open311/v2/requests/{id}.json", language=None)
