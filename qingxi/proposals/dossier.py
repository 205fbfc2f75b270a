"""The printable dossier of one proposal: a self-contained HTML file (inline CSS with @media print,
an inline SVG schematic of its river section, linked report thumbnails as data: URIs from the
metadata-free copies, the linked clean-up days with their date and kg). Built from
`proposals.detail(...)` as the reader may see it; never the communication log, never a reporter's
name or phone (LinkedReport has neither). No Streamlit."""
from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from datetime import date, datetime
from html import escape
from pathlib import Path

from qingxi.core import i18n, places
from qingxi.core.settings import current as settings
from qingxi.proposals import Detail

SVG_W, SVG_H, PAD = 640, 220, 24


def _when(at: datetime | date | None) -> str:
    if at is None:
        return "—"
    if isinstance(at, datetime):
        return at.astimezone(settings().timezone).strftime("%Y-%m-%d %H:%M")
    return at.isoformat()


def _data_uri(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    # every thumbnail is a JPEG that qingxi.photos wrote
    return f"data:image/jpeg;base64,{base64.b64encode(data).decode('ascii')}"


def schematic(section: places.Section | None, d: Detail) -> str:
    """An inline SVG: the river section as a line, results (green) and linked reports (red) as dots."""
    if section is None:
        return ""
    points = [(lon, lat) for lon, lat in section.path]
    points += [(r.lon, r.lat) for r in d.results if r.lon is not None and r.lat is not None]
    points += [(r.lon, r.lat) for r in d.reports]
    lat0 = sum(p[1] for p in points) / len(points)
    kx = math.cos(math.radians(lat0))
    xs, ys = [p[0] * kx for p in points], [p[1] for p in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
    scale = min((SVG_W - 2 * PAD) / max(max(xs) - min(xs), span / 4), (SVG_H - 2 * PAD) / max(max(ys) - min(ys), span / 4))

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return PAD + (lon * kx - min(xs)) * scale, SVG_H - PAD - (lat - min(ys)) * scale

    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(*p) for p in section.path))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="schematic" viewBox="0 0 {SVG_W} {SVG_H}" '
             f'width="{SVG_W}" height="{SVG_H}" role="img">',
             f'<polyline points="{line}" fill="none" stroke="#1976d2" stroke-width="5" stroke-linecap="round"/>']
    for (lon, lat), km in ((section.path[0], section.km_from), (section.path[-1], section.km_to)):
        x, y = xy(lon, lat)
        parts.append(f'<text x="{x:.1f}" y="{y - 10:.1f}" font-size="12" text-anchor="middle">km {km:.1f}</text>')
    for r in d.results:
        if r.lon is not None and r.lat is not None:
            x, y = xy(r.lon, r.lat)
            parts.append(f'<circle class="result" cx="{x:.1f}" cy="{y:.1f}" r="6" fill="#2e9654" stroke="#fff">'
                         f'<title>{escape(r.title)}</title></circle>')
    for r in d.reports:
        x, y = xy(r.lon, r.lat)
        parts.append(f'<circle class="report" cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#d64530" stroke="#fff">'
                     f'<title>#{r.id}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


CSS = """
body { font-family: "Noto Serif CJK SC", "Songti SC", "WenQuanYi Zen Hei", serif; max-width: 820px;
       margin: 2em auto; color: #222; line-height: 1.6; }
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.15em; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #bbb; padding: 3px 6px;
       vertical-align: top; text-align: left; font-size: .92em; }
.body { white-space: pre-wrap; } .meta { color: #555; }
.bar { background: #e5e5e5; height: 10px; width: 200px; display: inline-block; }
.bar span { background: #2e9654; height: 10px; display: block; }
.thumbs img { height: 120px; margin: 4px; border: 1px solid #ccc; }
.answer { border-left: 3px solid #1976d2; padding-left: 10px; margin: .8em 0; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; }
  .answer, tr, .thumbs img { page-break-inside: avoid; } a { color: inherit; text-decoration: none; } }
"""


def build(d: Detail, lang: str, section: places.Section | None = None, photo_dir: Path | None = None,
          generated: datetime | None = None, opinions: Sequence[str] = ()) -> str:
    """The dossier as one HTML document (every piece of user text escaped); `opinions`: what
    villagers said at face-to-face days, attached as evidence (qingxi.meetings.proposal_opinions)."""
    folder = photo_dir or settings().photo_dir

    def t(key: str, **values) -> str:
        return escape(i18n.t(key, lang, **values))

    def e(value) -> str:
        return escape("" if value is None else str(value))

    row = d.row
    session = row.session.name(lang)
    out = [f'<!DOCTYPE html><html lang="{e(lang)}"><head><meta charset="utf-8">',
           f"<title>{e(row.number)} {e(row.title)}</title><style>{CSS}</style></head><body>",
           f'<p class="meta">{t("proposals.dossier.heading")}</p><h1>{e(row.title)}</h1>',
           f'<p class="meta">{t("proposals.number")}: {e(row.number)} · {e(session)} · '
           f'{t(f"proposals.topic.{row.topic}")} · {t(f"proposals.state.{row.state}")}</p>',
           "<table>",
           f'<tr><th>{t("proposals.lead")}</th><td>{e(row.lead_deputy)}</td></tr>',
           f'<tr><th>{t("proposals.cosigner")}</th><td>{e("、".join(c.name for c in d.cosigners) or "—")}</td></tr>',
           f'<tr><th>{t("proposals.lead_unit")}</th><td>{e(row.lead_unit or "—")}</td></tr>',
           f'<tr><th>{t("proposals.co_units")}</th><td>{e("、".join(n for _, n in d.co_units) or "—")}</td></tr>',
           f'<tr><th>{t("proposals.villages")}</th><td>{e("、".join(n for _, n in d.villages) or "—")}'
           + (f' · {t("proposals.km_range", km_from=d.km_from or 0.0, km_to=d.km_to if d.km_to is not None else d.km_from or 0.0)}'
              if d.km_from is not None or d.km_to is not None else "") + "</td></tr>",
           f'<tr><th>{t("proposals.filed_on")}</th><td>{_when(row.filed_on)}</td></tr>',
           f'<tr><th>{t("proposals.deadline")}</th><td>{_when(row.deadline)}'
           + (f' · {t("proposals.overdue")}' if row.overdue else "") + "</td></tr>",
           "</table>",
           f'<h2>{t("proposals.text")}</h2><div class="body">{e(d.body)}</div>']
    out.append(f'<h2>{t("proposals.answers")}</h2>')
    if not d.answers:
        out.append(f"<p>{t('proposals.no_answers')}</p>")
    for a in d.answers:
        files = "".join(f"<li>{e(f.label or f.kind)}</li>" for f in a.attachments)
        out.append(f'<div class="answer"><p class="meta">{t(f"proposals.class.{a.answer_class}")} · {e(a.unit or "—")} · '
                   f'{e(a.author)} · {_when(a.at)}' + (f' · {t("proposals.action.follow_up")}' if a.follow_up else "")
                   + f'</p><div class="body">{e(a.text)}</div>' + (f"<ul>{files}</ul>" if files else "") + "</div>")
    out.append(f'<h2>{t("proposals.evaluation_name")}</h2><p>'
               + (f'{t(f"proposals.evaluation.{row.evaluation}")} · {_when(d.evaluated_at)}' if row.evaluation
                  else t("proposals.not_evaluated")) + "</p>")
    if d.extension:
        x = d.extension
        state = x.decision or "pending"
        out.append(f'<p>{t(f"proposals.extension.{state}")} · {t("proposals.months", n=x.months)} · {e(x.reason)}</p>')
    out.append(f'<h2>{t("proposals.progress")}</h2>')
    if not d.results:
        out.append(f"<p>{t('proposals.no_results')}</p>")
    else:
        out.append(f'<p>{t("proposals.overall")}: <strong>{row.progress or 0:.0f}%</strong></p><table>')
        for r in d.results:
            out.append(f'<tr><td>{e(r.title)}<br><span class="meta">{t(f"proposals.result_kind.{r.kind}")} · '
                       f'{t(f"proposals.result_status.{r.status}")} · {t("proposals.weight")} {r.weight:g}'
                       + (f' · km {r.river_km:.2f}' if r.river_km is not None else "") + "</span></td>"
                       f'<td><span class="bar"><span style="width:{r.progress}%"></span></span> {r.progress}%</td></tr>')
        out.append("</table>")
    out.append(f'<h2>{t("proposals.section")}</h2>{schematic(section, d)}'
               f'<p class="meta">{t("proposals.map_legend")}</p>')
    out.append(f'<h2>{t("proposals.reports")}</h2>')
    if not d.reports:
        out.append(f"<p>{t('proposals.no_reports')}</p>")
    for r in d.reports:
        thumbs = [uri for _, thumb in r.photos if thumb and (uri := _data_uri(folder / thumb))]
        out.append(f'<p>#{r.id} · {t(f"category.{r.category}")} · {t(f"state.{r.state}")} · {e(r.village or "—")}'
                   + (f" · km {r.river_km:.2f}" if r.river_km is not None else "") + "</p>"
                   + ('<div class="thumbs">' + "".join(f'<img alt="#{r.id}" src="{u}">' for u in thumbs) + "</div>"
                      if thumbs else ""))
    out.append(f'<h2>{t("proposals.cleanups")}</h2>')
    if not d.cleanups:
        out.append(f"<p>{t('proposals.no_cleanups')}</p>")
    for c in d.cleanups:
        out.append(f'<p>{e(c.title)} · {_when(c.starts_at)[:10]} · {t(f"cleanups.state.{c.state}")}'
                   + (f' · {t("proposals.kg", kg=f"{c.kg:g}")}' if c.kg is not None else "") + "</p>")
    if opinions:
        out.append(f'<h2>{t("meetings.proposal_evidence")}</h2>')
        out += [f'<div class="body">{e(said)}</div>' for said in opinions]
    out.append(f'<h2>{t("proposals.history")}</h2><table>')
    for h in d.history:
        out.append(f"<tr><td>{_when(h.at)}</td><td>{t(f'proposals.event.{h.action}')}</td><td>{e(h.actor)}</td>"
                   f"<td>{e(h.note)}</td></tr>")
    out.append("</table>")
    out.append(f'<p class="meta">{t("proposals.dossier.generated", at=_when(generated or datetime.now().astimezone()))}</p>'
               "</body></html>")
    return "\n".join(out)
