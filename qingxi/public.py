"""What the public pages show: live counts and the map's features (never personal data)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from db import repo
from db.models import utcnow
from qingxi.i18n import t
from qingxi.reports import OPEN_STATES, State, kind_of


def counts(session: Session, now: datetime | None = None) -> dict:
    now = now or utcnow()
    month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    version = repo.current_river(session)
    villages = repo.villages(session)
    return {
        "open": repo.count_reports(session, [s.value for s in OPEN_STATES]),
        "fixed_month": repo.count_reports(session, [State.FIXED.value], since_field="fixed_at", since=month),
        "villages": len(villages),
        "riverside": sum(v.riverside for v in villages),
        "reach_km": round(version.reach_length_m / 1000, 1) if version else 0.0,
    }


def map_features(session: Session, lang: str) -> dict[str, list[dict]]:
    version = repo.current_river(session)
    lines = [
        {"role": line.role, "path": repo.line_coordinates(line),
         "tip": t(f"map.role.{line.role}", lang) + (t("map.schematic", lang) if line.schematic else "")}
        for line in (version.lines if version else [])
    ]
    approx = t("map.approximate", lang)
    villages = [
        {"lon": v.lon, "lat": v.lat, "approximate": v.approximate, "riverside": v.riverside,
         "label": v.name + (approx if v.approximate else ""),
         "tip": f"{v.name} {v.code}" + (approx if v.approximate else "")
                + (" · " + t("map.riverside", lang) if v.riverside else "")}
        for v in repo.villages(session)
    ]
    reports = [
        {"id": r["code"], "lon": r["lon"], "lat": r["lat"], "kind": kind_of(r["state"]).value,
         "tip": " · ".join(filter(None, [t(f"category.{r['category']}", lang), t(f"state.{r['state']}", lang),
                                         r["village"], _km(r["river_km"], lang)]))}
        for r in repo.public_reports(session)
    ]
    return {"lines": lines, "villages": villages, "reports": reports}


def _km(km: float | None, lang: str) -> str:
    return "" if km is None else t("map.km", lang, km=km)
