"""One place that reads configuration: environment first, then `.streamlit/secrets.toml`.

Reading the TOML ourselves (instead of `st.secrets`) keeps the domain free of Streamlit and
never raises when the secrets file is absent.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import tomllib

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ROOT / ".streamlit" / "secrets.toml"
LANGUAGES = ("zh", "en")
DEFAULT_AREA = "121.30,29.11,121.49,29.19"  # Shaliu subdistrict and a margin, lon/lat


def _box(text: str) -> tuple[float, float, float, float]:
    west, south, east, north = (float(v) for v in text.split(","))
    if not (west < east and south < north):
        raise ValueError(f"QINGXI_AREA must be west,south,east,north: {text}")
    return west, south, east, north


def _secrets(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        return {}


@dataclass(frozen=True)
class Settings:
    database_url: str
    read_database_url: str  # a read replica for the public map, counts, downloads and dashboard
    photo_dir: Path
    cache_dir: Path  # files made once and served many times (the public downloads)
    tile_url: str | None
    default_language: str
    service_distance_m: float
    duplicate_radius_m: float
    area: tuple[float, float, float, float]  # lon/lat box reports must fall in
    public_url: str  # how villagers reach the portal: QR codes and status links point here
    timezone: ZoneInfo  # dates are shown in local time (the server may run on UTC)
    environment: str
    demo_passwords: Path | None = None  # the demo accounts' generated passwords (owner-only file)
    notify_key: str | None = None  # encrypts the channels' apprise URLs (qingxi.notify); a key file if unset
    public_url_set: bool = False  # QINGXI_PUBLIC_URL given: pages' links use it, not the address they were reached at

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    def day_bounds(self, days: Sequence[date]) -> tuple[datetime | None, datetime | None]:
        """Local calendar days as instants [since, until): a date input gives none, a start, or a
        start and an end."""
        if not days:
            return None, None
        return (datetime.combine(days[0], time.min, self.timezone),
                datetime.combine(days[-1] + timedelta(days=1), time.min, self.timezone))


def load(env: dict[str, str] | None = None, secrets_path: Path = SECRETS) -> Settings:
    env = os.environ if env is None else env
    secrets = _secrets(secrets_path)

    def get(name: str, default: str | None = None) -> str | None:
        value = env.get(name)
        if value in (None, ""):
            value = secrets.get(name, secrets.get(name.lower()))
        return default if value in (None, "") else str(value)

    data = ROOT / "data"
    lang = get("QINGXI_LANGUAGE", "zh")
    database_url = get("DATABASE_URL", f"sqlite:///{data / 'qingxi.db'}")
    return Settings(
        database_url=database_url,
        read_database_url=get("QINGXI_READ_DATABASE_URL", database_url),
        photo_dir=(photo_dir := Path(get("QINGXI_PHOTO_DIR", str(data / "photos")))),
        cache_dir=Path(get("QINGXI_CACHE_DIR", str(photo_dir.parent / "cache"))),
        tile_url=get("QINGXI_TILE_URL"),
        default_language=lang if lang in LANGUAGES else "zh",
        service_distance_m=float(get("QINGXI_SERVICE_DISTANCE_M", "1000")),
        duplicate_radius_m=float(get("QINGXI_DUPLICATE_RADIUS_M", "250")),
        area=_box(get("QINGXI_AREA", DEFAULT_AREA)),
        public_url=get("QINGXI_PUBLIC_URL", "http://localhost:8501").rstrip("/"),
        public_url_set=get("QINGXI_PUBLIC_URL") is not None,
        timezone=ZoneInfo(get("QINGXI_TIMEZONE", "Asia/Shanghai")),
        environment=get("QINGXI_ENV", "production"),
        notify_key=get("QINGXI_NOTIFY_KEY"),
        demo_passwords=Path(get("QINGXI_DEMO_PASSWORDS", str(photo_dir.parent / "demo-passwords.txt"))),
    )


@lru_cache(maxsize=1)
def current() -> Settings:
    return load()
