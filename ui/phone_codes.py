"""The codes this phone was given (reports filed, clean-up sign-ups made), kept in the browser's own
localStorage: never sent anywhere but back to this portal's page that lists them, and forgotten on
request. Inline JavaScript served by Streamlit (components v2), no CDN."""
from __future__ import annotations

import streamlit as st

STORE = "qingxi.codes"  # the localStorage key
KINDS = ("report", "signup")
MOST = 50

_JS = """
export default function(component) {
  const { data, setStateValue } = component;
  const ok = (k) => k && (k.kind === "report" || k.kind === "signup") && typeof k.code === "string"
                   && /^[0-9A-Za-z]{4,16}$/.test(k.code);
  const same = (a, b) => a.kind === b.kind && a.code === b.code;
  let kept = [];
  try { kept = JSON.parse(window.localStorage.getItem(data.store) || "[]"); } catch (e) { kept = []; }
  kept = (Array.isArray(kept) ? kept : []).filter(ok).map(k => ({kind: k.kind, code: k.code}));
  for (const item of data.add) if (ok(item) && !kept.some(k => same(k, item))) kept.push(item);
  kept = kept.filter(k => !data.forget.some(f => same(f, k))).slice(-data.most);
  try { window.localStorage.setItem(data.store, JSON.stringify(kept)); } catch (e) { /* storage off: nothing kept */ }
  if (JSON.stringify(kept) !== JSON.stringify(data.known)) setStateValue("codes", kept);
}
"""
_component = st.components.v2.component("qingxi_phone_codes", html="<span></span>", js=_JS)


def _clean(items) -> list[dict]:
    """What came back from the browser, checked: only our kinds and plain codes."""
    out = []
    for item in items if isinstance(items, list) else []:
        if (isinstance(item, dict) and item.get("kind") in KINDS and isinstance(item.get("code"), str)
                and item["code"].isalnum() and 4 <= len(item["code"]) <= 16):
            out.append({"kind": item["kind"], "code": item["code"]})
    return out[-MOST:]


def phone_codes(key: str, add: list[dict] | None = None, forget: list[dict] | None = None) -> list[dict]:
    """Keep `add` on this phone, drop `forget`, and return what the phone keeps ([{kind, code}],
    oldest first; [] until the browser has answered once)."""
    known = _clean(st.session_state.get(f"{key}_known"))
    result = _component(data={"store": STORE, "add": add or [], "forget": forget or [], "known": known,
                              "most": MOST}, key=key, on_codes_change=lambda: None)
    answer = getattr(result, "codes", None) if result is not None else None
    codes = known if answer is None else _clean(answer)  # the browser's word, checked like anything sent
    st.session_state[f"{key}_known"] = codes
    return codes


def remember(kind: str, code: str) -> None:
    """Keep one code on this phone (shown with the receipt that gave it)."""
    phone_codes(f"keep_{kind}_{code}", add=[{"kind": kind, "code": code}])
