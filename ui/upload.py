"""The file uploader in the person's language. Streamlit 1.67 cannot translate its own chrome (the
"Upload" button, "20MB per file • JPG, PNG…"): a style scoped to this one uploader hides those
words, the button says ours, and a caption below says the limit and the kinds in our words."""
from __future__ import annotations

import hashlib
import json

import streamlit as st

from ui import t

PHOTOS = ("jpg", "jpeg", "png", "webp", "heic", "heif")
_SAME = {"jpeg": "jpg", "heif": "heic"}  # one name a person knows for each kind


def files(label: str, kinds: tuple[str, ...] | list[str] = PHOTOS, key: str | None = None,
          multiple: bool = False, button: str | None = None):
    """st.file_uploader with our words: `button` on the button (the photo or file word by
    default), the size limit and the kinds as a caption. Returns what st.file_uploader returns."""
    scope = f"qx_upload_{key or hashlib.sha1(label.encode()).hexdigest()[:10]}"
    photos = set(kinds) <= set(PHOTOS)
    word = button or t("upload.button_photo" if photos else "upload.button_file")
    with st.container(key=scope):
        st.html(_style(scope, word))
        chosen = st.file_uploader(label, type=list(kinds), key=key, accept_multiple_files=multiple)
        names = dict.fromkeys(_SAME.get(k, k).upper() for k in kinds)
        st.caption(t("upload.hint", mb=st.get_option("server.maxUploadSize"), kinds=t("upload.sep").join(names)))
    return chosen


def _style(scope: str, word: str) -> str:
    """Hide Streamlit's English inside this uploader only; the button shows `word` instead."""
    inside = f".st-key-{scope} [data-testid=stFileUploaderDropzone]"
    return (f"<style>{inside} [data-testid=stFileUploaderDropzoneInstructions] {{display: none;}}"
            f"{inside} button [data-testid=stMarkdownContainer] {{display: none;}}"
            f"{inside} button::after {{content: {json.dumps(word, ensure_ascii=False)}; }}</style>")
