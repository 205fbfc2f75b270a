"""River-chief style signboards: a printable sheet per village and per river-km post whose QR
code opens the report form with that place already chosen."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from db import places_queries
from qingxi.core import places, qr
from qingxi.core.i18n import t
from qingxi.core.settings import current as settings

REPORT_PATH = "report"  # the report form's url_path: printed on signboards, so it never changes


@dataclass(frozen=True)
class Sheet:
    title: str
    subtitle: str
    url: str


def report_url(base: str | None = None, **place: str) -> str:
    return f"{base or settings().public_url}/{REPORT_PATH}?{urlencode(place)}"


def sheets(session: Session, lang: str, village_codes: list[str], km_step: float | None = 1.0,
           base: str | None = None) -> list[Sheet]:
    """One sheet per chosen village, then one per km post along the reach (km_step None: none);
    `base` is the portal's address the QR codes print (else QINGXI_PUBLIC_URL)."""
    chosen = [v for v in places_queries.villages(session) if v.code in village_codes]
    out = [Sheet(v.name, t("signs.village_sub", lang, code=v.code), report_url(base, village=v.code, lang=lang))
           for v in chosen]
    if km_step:
        length_km = places.model(session).length_m / 1000
        posts = [round(i * km_step, 3) for i in range(int(length_km // km_step) + 1)]
        out += [Sheet(t("signs.km_title", lang, km=km), t("signs.km_sub", lang),
                      report_url(base, km=f"{km:g}", lang=lang)) for km in posts]
    return out


def printable(sheets: list[Sheet], lang: str) -> str:
    """A self-contained HTML document, one A4 sheet per place, ready to print."""
    pages = "\n".join(
        f"<section><h1>{escape(t('signs.heading', lang))}</h1><h2>{escape(s.title)}</h2>"
        f"<p>{escape(s.subtitle)}</p>{qr.svg(s.url, scale=10)}<p class=cta>{escape(t('signs.scan', lang))}</p>"
        f"<p class=url>{escape(s.url)}</p></section>"
        for s in sheets
    )
    return f"""<!doctype html><html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<title>{escape(t('signs.heading', lang))}</title>
<style>@page {{ size: A4; margin: 18mm; }} body {{ font-family: 'WenQuanYi Zen Hei','Noto Sans CJK SC',sans-serif; }}
section {{ page-break-after: always; text-align: center; }} h1 {{ font-size: 30pt; color: #1f7a6d; }}
h2 {{ font-size: 40pt; margin: 8mm 0 2mm; }} svg {{ width: 110mm; height: 110mm; }} .cta {{ font-size: 20pt; }}
.url {{ font-size: 9pt; color: #666; }}</style></head><body>{pages}</body></html>"""
