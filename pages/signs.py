"""Print QR signboards for villages and river-km posts (each opens the report form on that spot)."""
import streamlit as st

from qingxi.core import permissions, places, qr
from qingxi.reports import signs
from ui import current_user, lang, routes, session, t
from ui.text import plain


def render() -> None:
    if not permissions.can(current_user(), "signs.print"):
        st.error(t("access.staff_only"))
        return
    st.title(t("signs.title"))
    st.caption(t("signs.intro"))
    with session() as s:
        names = dict(places.villages(s))
        riverside = [code for code, on in places.riverside_flags(s).items() if on]
        codes = st.multiselect(t("signs.villages"), list(names), default=riverside, format_func=names.get,
                               placeholder=t("pick.many"), select_all=False)
        posts = st.toggle(t("signs.posts"), value=True)
        sheets = signs.sheets(s, lang(), codes, 1.0 if posts else None, routes.public_base())
    if not sheets:
        st.info(t("signs.none"))
        return
    st.download_button(t("signs.download", n=len(sheets)), signs.printable(sheets, lang()),
                       file_name="qingxi-signs.html", mime="text/html", icon=":material/print:")
    cols = st.columns(3)
    for i, sheet in enumerate(sheets):
        with cols[i % 3].container(border=True):
            st.markdown(f"**{plain(sheet.title)}**")
            st.image(qr.png(sheet.url, scale=4), caption=sheet.subtitle)
