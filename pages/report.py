"""Report a problem: photo first, then where, what, and (if they wish) who they are."""
import streamlit as st

from qingxi import notify
from qingxi.core import photos, places, qr
from qingxi.core.settings import current as settings
from qingxi.reports import CATEGORIES, SIZED_CATEGORIES, SIZES, intake, track
from qingxi.reports.intake import IntakeError, Place, Submission
from ui import engine, labels, layers, outcome, routes, session, t, text, upload
from ui.geolocation import locate_button
from ui.phone_codes import remember
from ui.text import plain
from ui.visitor import who

ICONS = {
    "floating_litter": ":material/waves:", "bank_litter": ":material/delete:",
    "illegal_dumping": ":material/local_shipping:", "construction_waste": ":material/construction:",
    "sewage": ":material/water_drop:", "water_colour_smell": ":material/science:",
    "dead_fish": ":material/set_meal:", "illegal_fishing": ":material/phishing:",
    "damaged_facility": ":material/build:", "other": ":material/more_horiz:",
}
FORM = "report_form"  # bumping this number gives a fresh, empty form after a report is sent


def render() -> None:
    st.title(t("report.title"))
    if receipt := st.session_state.get("report_receipt"):
        _receipt(receipt)
        return
    outcome.show("report")
    n = st.session_state.setdefault(FORM, 0)
    uploads = _photos(n)
    where = _where(uploads, n)
    category = _category(n)
    size, cleaned, words = _details(category, n)
    if where and category:
        _duplicates(category, where, uploads[0][0] if uploads else None, n)
    name, phone, visibility = _who(n)
    # offered only when a text can reach them: a live SMS channel for people that takes report updates
    hear_back = (bool(phone.strip()) and notify.reaches_people(engine(), "phone", ("report.update",))
                 and st.checkbox(t("notify.hear_back"), key=f"hear{n}"))
    accept = bool(where and where.problem) and st.checkbox(t("report.accept_problem"), key=f"accept{n}")
    if st.button(t("report.send"), type="primary", icon=":material/send:", width="stretch"):
        _send(Submission([u for u, _ in uploads], category or "", where, size, cleaned, words, name, phone,
                         visibility, accept, hear_back=hear_back), n)


def _photos(n: int) -> list[tuple[bytes, photos.Prepared]]:
    """The photos that decoded cleanly, each with what we will store (metadata already gone)."""
    st.subheader(t("report.step_photo"))
    files = upload.files(t("report.photo_label"), key=f"files{n}", multiple=True)
    shot = st.camera_input(t("report.camera"), key=f"camera{n}") if st.toggle(t("report.use_camera"), key=f"cam{n}") else None
    # Decoding is the slow part: keep each photo's result across reruns, only while it is attached.
    done = st.session_state.get("prepared", {})
    st.session_state["prepared"] = kept = {}
    good = []
    attached = [*(files or []), *([shot] if shot else [])]
    if len(attached) > intake.MAX_PHOTOS:  # counted before anything is read or decoded
        st.error(t("report.error.too_many_photos", most=intake.MAX_PHOTOS))
        return []
    for f in attached:
        if f.size > photos.MAX_BYTES:  # the declared size: refused unread
            st.error(f"{plain(f.name)}: {t('photo.error.too_large')}")
            continue
        data = f.getvalue()
        prepared = outcome.attempt(lambda: done.get(f.file_id) or photos.prepare(data))
        if prepared.ok:
            kept[f.file_id] = prepared.value
            good.append((data, prepared.value))
        else:
            st.error(f"{plain(f.name)}: {prepared.message}")
    if good:
        st.image([p.thumb for _, p in good], width=120)
    return good


def _where(uploads: list[tuple[bytes, photos.Prepared]], n: int) -> Place | None:
    """Where the report lands: a place picked by hand, else the photo's GPS, else a signboard link."""
    st.subheader(t("report.step_where"))
    meta = uploads[0][1].meta if uploads else None
    if meta and meta.gps_problem:
        st.warning(t(f"report.gps_{meta.gps_problem}"))
    with session() as s:
        how = st.segmented_control(t("report.place_how"), ["browser", "map", "village"], key=f"how{n}",
                                   format_func=labels("report.how"))
        if picked := _pick(how, s, n):
            st.session_state[f"place{n}"] = picked
        gps = {"lon": meta.lon, "lat": meta.lat, "source": "gps"} if meta and meta.lon is not None else None
        chosen = st.session_state.get(f"place{n}") or gps or _from_link(s)
        if chosen is None:
            st.info(t("report.place_needed"))
            return None
        where = intake.place(s, chosen["lon"], chosen["lat"], chosen["source"])
        village = dict(places.villages(s)).get(where.village_code)
        river = layers.river(s)
    st.success(t(f"report.source_{where.source}") + " " + plain(text.place(village, where.river_km, where.bank, where.distance_m)))
    if where.problem:
        st.warning(t(f"report.problem_{where.problem}"))
    st.pydeck_chart(layers.deck([river, layers.pin_layer(where.lon, where.lat)], view=layers.focus(where.lon, where.lat)),
                    height=220, key=f"preview{n}")
    return where


def _from_link(s) -> dict | None:
    """A QR signboard link preselects its place: ?village=<code> or ?km=<river km>."""
    params = st.query_params
    try:
        if "village" in params:
            where = intake.village_place(s, params["village"])
        elif "km" in params:
            where = intake.place(s, *intake.km_point(s, float(params["km"])), "map")
        else:
            return None
    except (IntakeError, ValueError):
        st.warning(t("report.bad_link"))
        return None
    return {"lon": where.lon, "lat": where.lat, "source": where.source}


def _pick(how: str | None, s, n: int) -> dict | None:
    if how == "browser":
        got = locate_button(t("report.locate"), t("report.locating"), key=f"geo{n}")
        if got and "error" in got:
            st.warning(t(f"report.geo_{got['error']}"))
        elif got:
            return {"lon": got["lon"], "lat": got["lat"], "source": "browser"}
    elif how == "map":
        st.caption(t("report.map_hint"))
        marks = places.markers(s)
        river = layers.river(s)
        event = st.pydeck_chart(layers.deck([river, layers.marker_layer(marks)]),
                                on_select="rerun", selection_mode="single-object", key=f"pick{n}", height=320)
        picked = event.selection.objects.get("markers", []) if event else []
        if picked:
            return {"lon": picked[0]["lon"], "lat": picked[0]["lat"], "source": "map"}
    elif how == "village":
        names = dict(places.villages(s))
        code = st.selectbox(t("report.village"), list(names), index=None, key=f"village{n}", format_func=names.get,
                            placeholder=t("pick.one"))
        if code:
            where = intake.village_place(s, code)
            return {"lon": where.lon, "lat": where.lat, "source": "village"}
    return None


def _category(n: int) -> str | None:
    st.subheader(t("report.step_what"))
    chosen = st.session_state.get(f"category{n}")
    cols = st.columns(2)
    for i, key in enumerate(CATEGORIES):
        cols[i % 2].button(t(f"category.{key}"), icon=ICONS[key], key=f"cat_{key}{n}", width="stretch",
                           type="primary" if key == chosen else "secondary",
                           on_click=st.session_state.__setitem__, args=(f"category{n}", key))
    return chosen


def _details(category: str | None, n: int) -> tuple[str | None, bool, str]:
    size = None
    if category in SIZED_CATEGORIES:
        size = st.segmented_control(t("report.size"), SIZES, key=f"size{n}", format_func=labels("size"))
    cleaned = st.checkbox(t("report.cleaned"), key=f"cleaned{n}")
    words = st.text_area(t("report.words"), max_chars=intake.MAX_TEXT, key=f"words{n}")
    return size, cleaned, words


def _duplicates(category: str, where: Place, photo: bytes | None, n: int) -> None:
    """Open reports like this one nearby: "me too" (with this person's photo as a re-observation)
    instead of a second report."""
    with session() as s:
        near = intake.nearby(s, category, where)
    if not near:
        return
    st.warning(t("report.similar", n=len(near)))
    for item in near:
        left, right = st.columns([1, 3])
        if item.thumb_name:
            left.image(str(settings().photo_dir / item.thumb_name), width=110)
        right.markdown(t("report.similar_item", category=t(f"category.{item.category}"),
                         state=t(f"state.{item.state}"), m=round(item.distance_m), n=item.supporters,
                         age=text.age(item.created_at)))
        seen = right.segmented_control(t("report.observation"), intake.OBSERVATIONS, key=f"obs{item.id}",
                                       format_func=labels("observation"))
        right.button(t("report.me_too"), key=f"metoo{item.id}", icon=":material/thumb_up:",
                     on_click=_me_too, args=(item.id, seen, photo, n))


def _me_too(report_id: int, seen: str | None, photo: bytes | None, n: int) -> None:
    if outcome.act("report", lambda: intake.support(engine(), report_id, seen, photo, who=who()), t("report.me_too_done")).ok:
        st.session_state[FORM] = n + 1  # supported instead of reported: start a fresh form


def _who(n: int) -> tuple[str, str, str]:
    with st.expander(t("report.step_who")):
        visibility = st.radio(t("report.visibility"), intake.VISIBILITIES, key=f"vis{n}",
                              format_func=labels("visibility"))
        if visibility == "anonymous":
            st.caption(t("report.anonymous_note"))
            return "", "", visibility
        name = st.text_input(t("report.name"), max_chars=places.MAX_NAME, key=f"name{n}")
        phone = st.text_input(t("report.phone"), key=f"phone{n}")
        st.caption(t("report.phone_note"))
        return name, phone, visibility


def _send(sub: Submission, n: int) -> None:
    """File the report. On any failure the form stays as it is (photos and answers) with the reason."""
    sent = outcome.attempt(lambda: intake.submit(engine(), sub, who=who(sub.phone)), failed="report.not_sent")
    if not sent.ok:
        outcome.say(sent)
        return
    receipt = sent.value
    mine = st.session_state.setdefault("my_reports", [])
    if receipt.code is not None and receipt.code not in mine:
        mine.append(receipt.code)
    st.session_state["report_receipt"] = receipt
    st.session_state[FORM] = n + 1
    st.rerun()


def _next_steps(code: str) -> None:
    """The response clocks for this report, in plain words."""
    promise = track.promise(engine(), code)
    if promise is None:
        return
    st.subheader(t("report.next_title"))
    words = t("report.next_steps", sign=text.duration(promise.sign), dispatch=text.duration(promise.dispatch),
              resolve=text.duration(promise.resolve))
    st.markdown(words + (" " + t("report.next_urgent") if promise.priority == "urgent" else ""))


def _receipt(receipt: intake.Receipt) -> None:
    if receipt.joined:  # someone else's report of the same photos: counted as a "me too", no code
        st.success(t("report.joined"))
        if st.button(t("report.another"), icon=":material/add_a_photo:"):
            del st.session_state["report_receipt"]
            st.rerun()
        return
    st.success(t("report.again") if receipt.again else t("report.thanks"))
    st.markdown(t("report.code_is"))
    st.markdown(f"<div class='qx-code' style='font-size:3rem;font-weight:700;letter-spacing:.3rem'>{receipt.code}</div>",
                unsafe_allow_html=True)
    _next_steps(receipt.code)
    st.info(t("report.keep_code"), icon=":material/bookmark:")
    st.code(receipt.code, language=None)  # its copy button puts the code on the clipboard
    picture = qr.png(track.status_url(receipt.code, routes.public_base()))
    st.image(picture, width=220, caption=t("report.qr_caption"))
    st.download_button(t("report.save_qr"), picture, file_name=f"qingxi-{receipt.code}.png", mime="image/png",
                       icon=":material/download:", key="save_qr")
    remember("report", receipt.code)  # on this phone, for /track
    routes.link(routes.TRACK, t("report.follow"), ":material/search:", code=receipt.code)
    if st.button(t("report.another"), icon=":material/add_a_photo:"):
        del st.session_state["report_receipt"]
        st.rerun()

