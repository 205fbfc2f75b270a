"""Typed SQLAlchemy models. The schema itself is created only by the alembic migrations."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on both backends (SQLite would otherwise hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: give times in UTC")
        return None if value is None else value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=timezone.utc) if value is not None and value.tzinfo is None else value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}


class RiverVersion(Base):
    """One version of the river geometry; reports remember which version located them."""

    __tablename__ = "river_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(String(500))
    reach_length_m: Mapped[float] = mapped_column(Float)
    lines: Mapped[list[RiverLine]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="RiverLine.id"
    )


class RiverLine(Base):
    __tablename__ = "river_lines"
    __table_args__ = (CheckConstraint("role IN ('upstream','reach','tidal')", name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("river_versions.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    schematic: Mapped[bool] = mapped_column(Boolean, default=False)
    coordinates: Mapped[str] = mapped_column(Text)  # JSON [[lon, lat], ...], WGS84
    version: Mapped[RiverVersion] = relationship(back_populates="lines")


class Village(Base):
    __tablename__ = "villages"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    approximate: Mapped[bool] = mapped_column(Boolean, default=True)
    riverside: Mapped[bool] = mapped_column(Boolean, default=False)
    confidence: Mapped[str] = mapped_column(String(20), default="")
    basis: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Unit(Base):
    """A body that receives dispatched work: a village committee, the water bureau, the subdistrict."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('deputy','staff','handler','admin','representative')", name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(200))  # None: single sign-on only
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # A one-time password (an invitation, an admin's reset) must be replaced at the next sign-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Where messages addressed to this person go (a deputy's proposal events): an e-mail address or a
    # phone, seen by the person and admins only (qingxi.accounts.contact), never in a group message.
    contact: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    unit: Mapped[Unit | None] = relationship()


class UserSession(Base):
    """A signed-in browser. The cookie holds a random token; only its hash is stored."""

    __tablename__ = "user_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class LoginAttempt(Base):
    """Failed sign-ins per account name and address, for slowing down guessing."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_who", "username", "address", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class LimitEvent(Base):
    """One anonymous action counted against a limit (qingxi.core.limits), or one refused: filing,
    "me too", sign-ups, code lookups. `key` is a hash of what is limited (an address, a phone, a
    browser session, optionally with the report); `shown` a masked form staff may read."""

    __tablename__ = "limit_events"
    __table_args__ = (Index("ix_limit_events_count", "action", "key", "refused", "at"),
                      Index("ix_limit_events_at", "at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(16))  # address / phone / session
    key: Mapped[str] = mapped_column(String(64))
    shown: Mapped[str] = mapped_column(String(40), default="")
    refused: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class RoutingRule(Base):
    """Category × village → the unit a report is suggested to go to (None matches any)."""

    __tablename__ = "routing_rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str | None] = mapped_column(String(32))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))


class ClockTarget(Base):
    """How long each response step may take, per priority (admin-editable)."""

    __tablename__ = "clock_targets"
    __table_args__ = (CheckConstraint("seconds > 0", name="seconds"),)
    priority: Mapped[str] = mapped_column(String(16), primary_key=True)
    clock: Mapped[str] = mapped_column(String(16), primary_key=True)
    seconds: Mapped[int] = mapped_column(Integer)


class ResponseTemplate(Base):
    __tablename__ = "response_templates"
    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(24), index=True)
    title: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)


class AuditEntry(Base):
    """Append-only: who changed what, when, before → after. The app never updates or deletes it."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None]
    before: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    after: Mapped[str] = mapped_column(Text, default="{}")   # JSON
    reason: Mapped[str] = mapped_column(Text, default="")


_MILESTONES = ["signed_at", "dispatched_at", "called_back_at", "on_site_at", "fixed_at", "closed_at"]


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint("visibility IN ('staff','anonymous','public')", name="visibility"),
        CheckConstraint("bank IN ('left','right','on')", name="bank"),
        CheckConstraint("supporters >= 0", name="supporters"),
        CheckConstraint("rating IN ('satisfied','basically','unsatisfied')", name="rating"),
        Index("ix_reports_state_created", "state", "created_at"),
        # Scale (migration 7d3c2e9f4a33): chosen from the desk, dashboard, map and search queries.
        Index("ix_reports_work", "state", "hidden", "created_at",
              postgresql_include=["id", "priority", "category", "village_id", "unit_id", "river_km", *_MILESTONES]),
        Index("ix_reports_created_clocks", "created_at", "hidden",
              postgresql_include=["state", "priority", *_MILESTONES]),
        Index("ix_reports_fixed_at", "fixed_at", "state", "hidden"),
        Index("ix_reports_closed_at", "closed_at", "state", "hidden"),
        Index("ix_reports_map", "created_at", "hidden", "state", "category", "lon", "lat", "river_km", "village_id"),
        Index("ix_reports_map_km", "river_km", "hidden", "state", "category", "village_id", "created_at", "lon", "lat"),
        Index("ix_reports_village_created", "village_id", "created_at"),
        Index("ix_reports_category_created", "category", "created_at"),
        Index("ix_reports_rating", "rating", "hidden"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    size: Mapped[str | None] = mapped_column(String(16))
    cleaned_by_reporter: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    location_source: Mapped[str] = mapped_column(String(16))  # gps / browser / map / village
    river_version_id: Mapped[int | None] = mapped_column(ForeignKey("river_versions.id"))
    river_km: Mapped[float | None] = mapped_column(Float)  # indexed by ix_reports_map_km
    distance_m: Mapped[float | None] = mapped_column(Float)
    bank: Mapped[str | None] = mapped_column(String(8))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"), index=True)
    off_river: Mapped[bool] = mapped_column(Boolean, default=False)
    reporter_name: Mapped[str | None] = mapped_column(String(100))
    reporter_phone: Mapped[str | None] = mapped_column(String(32))
    visibility: Mapped[str] = mapped_column(String(16), default="staff")
    state: Mapped[str] = mapped_column(String(24), default="submitted")
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    supporters: Mapped[int] = mapped_column(Integer, default=0)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)  # dispatched to
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # A hash of the browser session that filed it: only that session gets the code back for the same
    # photos sent again (qingxi.reports.intake). Not personal: the session id is random and short-lived.
    filed_by: Mapped[str | None] = mapped_column(String(64))
    # The reporter asked to hear back on their phone (qingxi.notify: report.update to them).
    hear_back: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Response-clock milestones are stored when they happen, never recomputed from the history.
    signed_at: Mapped[datetime | None]
    dispatched_at: Mapped[datetime | None]
    called_back_at: Mapped[datetime | None]
    on_site_at: Mapped[datetime | None]
    fixed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # The reporter's own word on the outcome.
    confirmed_fixed_at: Mapped[datetime | None]
    rating: Mapped[str | None] = mapped_column(String(16))
    rated_at: Mapped[datetime | None]

    village: Mapped[Village | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
    photos: Mapped[list[Photo]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Photo.id"
    )
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="StatusChange.id"
    )


class MapCell(Base):
    """How many visible reports share a UTC month, a grid cell, state, category, village and 100 m of
    river km. Kept by triggers on `reports` (migration 9a6d4c2e1f55), never written by the app;
    db/map_queries.py reads it for whole months."""

    __tablename__ = "map_cells"
    month: Mapped[int] = mapped_column(primary_key=True)  # year * 12 + month - 1
    x: Mapped[int] = mapped_column(primary_key=True)  # floor(lon / CELL_LON)
    y: Mapped[int] = mapped_column(primary_key=True)  # floor(lat / CELL_LAT)
    state: Mapped[str] = mapped_column(String(24), primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    village_id: Mapped[int] = mapped_column(primary_key=True)  # 0: no village
    km10: Mapped[int] = mapped_column(primary_key=True)  # floor(river_km / KM_STEP); -1: no river km
    n: Mapped[int] = mapped_column(Integer)


class StoredPhoto:
    """The metadata-free copies qingxi.photos made of a photo: content-addressed public copy and
    thumbnail, their size, and the hash of the bytes that were sent."""

    sha256: Mapped[str] = mapped_column(String(64))
    public_name: Mapped[str] = mapped_column(String(80))
    thumb_name: Mapped[str] = mapped_column(String(80))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the photo was taken, as qingxi.capture read it from the EXIF the copies no longer carry.
    taken_at: Mapped[datetime | None]
    taken_source: Mapped[str] = mapped_column(String(8), default="none", server_default="none")


class Photo(StoredPhoto, Base):
    __tablename__ = "photos"
    __table_args__ = (
        CheckConstraint("kind IN ('report','after','observation')", name="kind"),
        # A photo sent again is found by its bytes (intake decides what it means, under a lock).
        Index("ix_photos_kind_sha256", "kind", "sha256"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="report")
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    report: Mapped[Report] = relationship(back_populates="photos")


class Observation(Base):
    """A "me too": someone else saw the same problem, maybe with a photo of how it is now."""

    __tablename__ = "observations"
    __table_args__ = (CheckConstraint("kind IN ('still','more','less','cleaned')", name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str | None] = mapped_column(String(16))
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photos.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def _step_default(context) -> str:
    return context.get_current_parameters()["to_state"]


class StatusChange(Base):
    """Every state change and note, with who, when and why; public entries form the reporter's timeline.
    `step` says what happened in the desk's words (a state it moved to, or on_site, reply, confirmed,
    still_there ...): the reporter's timeline is written from it."""

    __tablename__ = "status_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    step: Mapped[str] = mapped_column(String(24), default=_step_default)
    report: Mapped[Report] = relationship(back_populates="history")


# ---------------------------------------------------------------- Proposals (issue 5)
# Deputies' proposals (建议) and their lifecycle; the rules live in qingxi/proposals.

PROPOSAL_STATES = ("submitted", "assigned", "signed", "handling", "answered", "evaluated", "published",
                   "withdrawn")
PROPOSAL_TOPICS = ("bank_improvement", "water_protection", "tourism_leisure", "sewage", "flood_safety", "other")
ANSWER_CLASSES = ("A", "B", "C", "D")
EVALUATIONS = ("satisfied", "basically", "unsatisfied")
CONTACT_METHODS = ("phone", "visit", "meeting", "letter", "other")
RESULT_KINDS = ("greenway", "steps", "leisure_platform", "waterside_platform", "landscaping", "other")
RESULT_STATUSES = ("planned", "in_progress", "done", "suspended")


def _one_of(column: str, values: tuple[str, ...], name: str | None = None, *, nullable: bool = False) -> CheckConstraint:
    listed = ",".join(f"'{v}'" for v in values)
    rule = f"{column} IN ({listed})"
    return CheckConstraint(f"{column} IS NULL OR {rule}" if nullable else rule, name=name or column)


class CongressSession(Base):
    """A meeting of a people's congress (e.g. 三门县第十六届人民代表大会第一次会议): data, not code."""

    __tablename__ = "congress_sessions"
    __table_args__ = (CheckConstraint("congress > 0 AND meeting > 0", name="numbers"),
                      Index("uq_congress_sessions_meeting", "congress", "meeting", unique=True))
    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))
    congress: Mapped[int] = mapped_column(Integer)
    meeting: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date] = mapped_column(Date)


class Proposal(Base):
    """A deputy's proposal. The lead deputy is an account (lead_deputy_id) or only a name
    (lead_deputy_name is always filled, so lists never need the join)."""

    __tablename__ = "proposals"
    __table_args__ = (
        _one_of("state", PROPOSAL_STATES),
        _one_of("topic", PROPOSAL_TOPICS),
        _one_of("answer_class", ANSWER_CLASSES, nullable=True),
        _one_of("evaluation", EVALUATIONS, nullable=True),
        CheckConstraint("km_from IS NULL OR km_to IS NULL OR km_from <= km_to", name="km_range"),
        Index("ix_proposals_state_deadline", "state", "deadline"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    session_id: Mapped[int] = mapped_column(ForeignKey("congress_sessions.id"), index=True)
    lead_deputy_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    lead_deputy_name: Mapped[str] = mapped_column(String(100))
    filed_on: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(32), default="other")
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    km_from: Mapped[float | None] = mapped_column(Float)
    km_to: Mapped[float | None] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(24), default="submitted")
    assigned_at: Mapped[datetime | None]
    deadline: Mapped[datetime | None]
    signed_at: Mapped[datetime | None]
    handling_since: Mapped[datetime | None]  # (re)opened for handling: contacts count from here
    answered_at: Mapped[datetime | None]
    answer_class: Mapped[str | None] = mapped_column(String(1))  # the latest answer's class
    evaluation: Mapped[str | None] = mapped_column(String(16))
    evaluated_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    congress_session: Mapped[CongressSession] = relationship()
    lead_deputy: Mapped[User | None] = relationship(foreign_keys=[lead_deputy_id])
    lead_unit: Mapped[Unit | None] = relationship(foreign_keys=[lead_unit_id])
    cosigners: Mapped[list[ProposalSigner]] = relationship(cascade="all, delete-orphan", order_by="ProposalSigner.id")
    co_units: Mapped[list[ProposalUnit]] = relationship(cascade="all, delete-orphan", order_by="ProposalUnit.id")
    villages: Mapped[list[ProposalVillage]] = relationship(cascade="all, delete-orphan",
                                                           order_by="ProposalVillage.village_id")


class ProposalSigner(Base):
    """A co-signing deputy: an account or only a name."""

    __tablename__ = "proposal_signers"
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))


class ProposalUnit(Base):
    """A co-handling unit (the lead unit is on the proposal itself)."""

    __tablename__ = "proposal_units"
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    unit: Mapped[Unit] = relationship()


class ProposalVillage(Base):
    __tablename__ = "proposal_villages"
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), primary_key=True)
    village: Mapped[Village] = relationship()


class ProposalEvent(Base):
    """The proposal's history: every transition and recorded act, who, when, why. Append-only:
    the app never updates or deletes a row."""

    __tablename__ = "proposal_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str | None] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")


class ProposalAnswer(Base):
    """One answer (答复). A later answer is a new row; earlier ones are never changed."""

    __tablename__ = "proposal_answers"
    __table_args__ = (_one_of("answer_class", ANSWER_CLASSES),)
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    answer_class: Mapped[str] = mapped_column(String(1))
    text: Mapped[str] = mapped_column(Text)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(String(100), default="")
    follow_up: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    unit: Mapped[Unit | None] = relationship()
    attachments: Mapped[list[ProposalAttachment]] = relationship(cascade="all, delete-orphan",
                                                                 order_by="ProposalAttachment.id")


class ProposalAttachment(Base):
    """A file sent with an answer: a re-encoded image (no metadata) or a PDF, content-addressed."""

    __tablename__ = "proposal_attachments"
    __table_args__ = (_one_of("kind", ("image", "pdf")),)
    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("proposal_answers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    label: Mapped[str] = mapped_column(String(200), default="")
    sha256: Mapped[str] = mapped_column(String(64))  # of the bytes sent
    file_name: Mapped[str] = mapped_column(String(80))  # under <photo_dir>/attachments
    thumb_name: Mapped[str | None] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProposalContact(Base):
    """The handling unit's communication log with the deputy."""

    __tablename__ = "proposal_contacts"
    __table_args__ = (_one_of("method", CONTACT_METHODS),)
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    contacted_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    unit: Mapped[Unit | None] = relationship()


class ProposalExtension(Base):
    """The one extension a proposal may get (unique per proposal)."""

    __tablename__ = "proposal_extensions"
    __table_args__ = (CheckConstraint("months BETWEEN 1 AND 3", name="months"),
                      _one_of("decision", ("approved", "refused"), nullable=True))
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), unique=True)
    months: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_by_name: Mapped[str] = mapped_column(String(100), default="")
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_name: Mapped[str | None] = mapped_column(String(100))
    decision: Mapped[str | None] = mapped_column(String(16))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None]


class ProposalResult(Base):
    """Something built or done for a proposal, with its progress (accountability)."""

    __tablename__ = "proposal_results"
    __table_args__ = (
        _one_of("kind", RESULT_KINDS),
        _one_of("status", RESULT_STATUSES),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),
        CheckConstraint("weight > 0", name="weight"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="planned")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    river_km: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updates: Mapped[list[ResultUpdate]] = relationship(cascade="all, delete-orphan", order_by="ResultUpdate.id")
    photos: Mapped[list[ResultPhoto]] = relationship(cascade="all, delete-orphan", order_by="ResultPhoto.id")


class ResultUpdate(Base):
    """A dated milestone of a result: progress and status as of that day, with a note."""

    __tablename__ = "proposal_result_updates"
    __table_args__ = (CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),
                      _one_of("status", RESULT_STATUSES))
    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("proposal_results.id", ondelete="CASCADE"), index=True)
    happened_on: Mapped[date] = mapped_column(Date)
    progress: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ResultPhoto(StoredPhoto, Base):
    """A photo of a result."""

    __tablename__ = "proposal_result_photos"
    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("proposal_results.id", ondelete="CASCADE"), index=True)


class LinkStamps:
    """Who linked a row to a proposal and when; unlinking stamps unlinked_* and the row stays."""

    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)
    unlinked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unlinked_at: Mapped[datetime | None]


class ProposalReportLink(LinkStamps, Base):
    """A villager report as evidence for a proposal. Unlinking stamps unlinked_*; the row stays."""

    __tablename__ = "proposal_reports"
    __table_args__ = (
        Index("uq_proposal_reports_active", "proposal_id", "report_id", unique=True,
              sqlite_where=text("unlinked_at IS NULL"), postgresql_where=text("unlinked_at IS NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)


class ProposalCleanupLink(LinkStamps, Base):
    """A volunteer clean-up day linked to a proposal (issue 5 ↔ issue 6). Unlinking stamps
    unlinked_*; the row stays (as ProposalReportLink)."""

    __tablename__ = "proposal_cleanups"
    __table_args__ = (
        Index("uq_proposal_cleanups_active", "proposal_id", "cleanup_id", unique=True,
              sqlite_where=text("unlinked_at IS NULL"), postgresql_where=text("unlinked_at IS NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    cleanup_id: Mapped[int] = mapped_column(ForeignKey("cleanups.id", ondelete="CASCADE"), index=True)


# ---------------------------------------------------------------- Clean-ups (issue 6)

CLEANUP_STATES = ("draft", "published", "full", "closed", "done", "reported", "cancelled")
SIGNUP_STATUSES = ("seated", "waitlisted", "cancelled")
ATTENDANCE = ("unknown", "attended", "no_show")


class Cleanup(Base):
    """A volunteer clean-up day on one river section. `seats_taken` counts PUBLIC seats only and
    is changed only by conditional UPDATEs (db.cleanup_queries); the public capacity is
    capacity - reserved, where reserved is the sum of the invited groups' seats."""

    __tablename__ = "cleanups"
    __table_args__ = (
        CheckConstraint(f"state IN {CLEANUP_STATES}", name="state"),
        CheckConstraint("capacity >= 1 AND capacity <= 500", name="capacity"),
        CheckConstraint("reserved >= 0 AND reserved <= capacity", name="reserved"),
        # The database itself refuses an overbooked event, whatever the code above it does.
        CheckConstraint("seats_taken >= 0 AND seats_taken + reserved <= capacity", name="seats_taken"),
        CheckConstraint("km_from >= 0 AND km_to > km_from", name="section"),
        CheckConstraint("ends_at > starts_at", name="span"),
        CheckConstraint("meeting_village_id IS NOT NULL OR meeting_km IS NOT NULL", name="meeting_point"),
        CheckConstraint("participants IS NULL OR (participants >= 0 AND participants <= 10000)", name="participants"),
        CheckConstraint("hours IS NULL OR hours >= 0", name="hours"),
        CheckConstraint("bags IS NULL OR bags >= 0", name="bags"),
        CheckConstraint("kg IS NULL OR kg >= 0", name="kg"),
        CheckConstraint("km_covered IS NULL OR km_covered >= 0", name="km_covered"),
        Index("ix_cleanups_state_starts", "state", "starts_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    meeting_village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))
    meeting_km: Mapped[float | None] = mapped_column(Float)
    meeting_lon: Mapped[float] = mapped_column(Float)
    meeting_lat: Mapped[float] = mapped_column(Float)
    km_from: Mapped[float] = mapped_column(Float)
    km_to: Mapped[float] = mapped_column(Float)
    capacity: Mapped[int] = mapped_column(Integer)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    equipment: Mapped[str] = mapped_column(Text, default="")  # one item a line
    leader_name: Mapped[str] = mapped_column(String(100), default="")
    leader_contact: Mapped[str] = mapped_column(String(100), default="")  # private: staff only
    notes: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="draft")
    cancel_message: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[datetime | None]
    participants: Mapped[int | None] = mapped_column(Integer)
    hours: Mapped[float | None] = mapped_column(Float)
    bags: Mapped[int | None] = mapped_column(Integer)
    kg: Mapped[float | None] = mapped_column(Float)
    km_covered: Mapped[float | None] = mapped_column(Float)
    results_at: Mapped[datetime | None]
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    meeting_village: Mapped[Village | None] = relationship()
    groups: Mapped[list[CleanupGroup]] = relationship(
        back_populates="cleanup", cascade="all, delete-orphan", order_by="CleanupGroup.id")
    items: Mapped[list[CleanupItem]] = relationship(cascade="all, delete-orphan", order_by="CleanupItem.item")
    photos: Mapped[list[CleanupPhoto]] = relationship(cascade="all, delete-orphan", order_by="CleanupPhoto.id")


class CleanupGroup(Base):
    """Seats reserved for an invited group (代表 deputies, 村队 a village team)."""

    __tablename__ = "cleanup_groups"
    __table_args__ = (
        CheckConstraint("seats >= 1", name="seats"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= seats", name="seats_taken"),
        Index("uq_cleanup_groups_name", "cleanup_id", "name", unique=True),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    cleanup_id: Mapped[int] = mapped_column(ForeignKey("cleanups.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(50))
    seats: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    cleanup: Mapped[Cleanup] = relationship(back_populates="groups")


class Signup(Base):
    """One person's sign-up (with companions). The code is the key to its status page."""

    __tablename__ = "cleanup_signups"
    __table_args__ = (
        CheckConstraint(f"status IN {SIGNUP_STATUSES}", name="status"),
        CheckConstraint(f"attendance IN {ATTENDANCE}", name="attendance"),
        CheckConstraint("companions >= 0 AND companions <= 10", name="companions"),
        CheckConstraint("seats = companions + 1", name="seats"),
        CheckConstraint("group_seats >= 0 AND group_seats <= seats", name="group_seats"),
        # One live sign-up per phone per event, even when the same phone signs up twice at once.
        Index("uq_cleanup_signups_live_phone", "cleanup_id", "phone", unique=True,
              sqlite_where=text("status != 'cancelled'"), postgresql_where=text("status != 'cancelled'")),
        Index("ix_cleanup_signups_queue", "cleanup_id", "status", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    cleanup_id: Mapped[int] = mapped_column(ForeignKey("cleanups.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(100))  # private
    phone: Mapped[str | None] = mapped_column(String(32))  # private; a walk-in may have none
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("cleanup_groups.id"))
    companions: Mapped[int] = mapped_column(Integer, default=0)
    seats: Mapped[int] = mapped_column(Integer, default=1)
    group_seats: Mapped[int] = mapped_column(Integer, default=0)  # of `seats`, how many are reserved ones
    status: Mapped[str] = mapped_column(String(16))
    attendance: Mapped[str] = mapped_column(String(16), default="unknown")
    checked_in_at: Mapped[datetime | None]
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    promoted_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    village: Mapped[Village | None] = relationship()
    group: Mapped[CleanupGroup | None] = relationship()


class CleanupReport(Base):
    """An open report attached to a clean-up; cleaned_at is set when the volunteers cleared it."""

    __tablename__ = "cleanup_reports"
    cleanup_id: Mapped[int] = mapped_column(ForeignKey("cleanups.id", ondelete="CASCADE"), primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
    attached_at: Mapped[datetime] = mapped_column(default=utcnow)
    cleaned_by_volunteers: Mapped[bool] = mapped_column(Boolean, default=False)
    cleaned_at: Mapped[datetime | None]


class CleanupItem(Base):
    """How many of one kind of item the volunteers picked up."""

    __tablename__ = "cleanup_items"
    __table_args__ = (CheckConstraint("count >= 0", name="count"),)
    cleanup_id: Mapped[int] = mapped_column(ForeignKey("cleanups.id", ondelete="CASCADE"), primary_key=True)
    item: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class CleanupPhoto(StoredPhoto, Base):
    """A before or after photo, re-encoded without metadata by qingxi.photos."""

    __tablename__ = "cleanup_photos"
    __table_args__ = (CheckConstraint("kind IN ('before','after')", name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cleanup_id: Mapped[int] = mapped_column(ForeignKey("cleanups.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))


# ---------------------------------------------------------------- the question assistant (issue 17)

class AssistantFaq(Base):
    """One FAQ entry in one language: the question, its variants (one a line), the answer and the
    portal pages it links to (url paths, one a line). `key` names the topic across languages."""

    __tablename__ = "assistant_faq"
    __table_args__ = (
        CheckConstraint("lang IN ('zh','en')", name="lang"),
        Index("uq_assistant_faq_key_lang", "key", "lang", unique=True),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40))
    lang: Mapped[str] = mapped_column(String(2))
    question: Mapped[str] = mapped_column(String(200))
    variants: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text)
    links: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AssistantSynonym(Base):
    """A word people use (废弃物) and the word the FAQ uses for it (垃圾); staff extend the list."""

    __tablename__ = "assistant_synonyms"
    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(40), unique=True)
    canonical: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AssistantQuestion(Base):
    """Every question asked and what the assistant did with it (weekly counts, 👍/👎, and the
    questions it could not answer, which staff may turn into FAQ entries: `candidate`)."""

    __tablename__ = "assistant_questions"
    __table_args__ = (
        CheckConstraint("outcome IN ('answered','live','handover','unsure')", name="outcome"),
        CheckConstraint("candidate IN ('open','made','dismissed')", name="candidate"),
        Index("ix_assistant_questions_at", "at"),
        Index("ix_assistant_questions_candidate", "candidate", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(16), unique=True)  # the asker's key to rate the answer
    channel: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(2))
    question: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))
    faq_key: Mapped[str | None] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    helpful: Mapped[bool | None] = mapped_column(Boolean)
    candidate: Mapped[str | None] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class AssistantConversation(Base):
    """A question handed over to a person: what was asked, what the assistant tried, the channel,
    and the staff reply, which reaches the asker by the conversation code (or the chat's webhook)."""

    __tablename__ = "assistant_conversations"
    __table_args__ = (
        CheckConstraint("state IN ('open','answered','closed')", name="state"),
        Index("ix_assistant_conversations_state", "state", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(2))
    reason: Mapped[str] = mapped_column(String(16))  # asked / complaint / unsure
    question: Mapped[str] = mapped_column(Text)
    attempt: Mapped[str] = mapped_column(Text, default="")
    webhook: Mapped[str | None] = mapped_column(String(500))  # DingTalk sessionWebhook: private
    webhook_expires_at: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(16), default="open")
    reply: Mapped[str | None] = mapped_column(Text)
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    replied_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# ---------------------------------------------------------------- The pledge, door to door (issue 18)

PLEDGE_SOURCES = ("online", "paper", "sheet")
VISIT_OUTCOMES = ("visited", "signed", "not_home", "declined")


class PledgeText(Base):
    """One version of the pledge's text; a new edit is a new row, signatures keep theirs."""

    __tablename__ = "pledge_texts"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PledgeSignature(Base):
    """A household's signature. The phone (staff only, never shown) and the household's key (its
    village and normalised name) each sign once: partial unique indexes refuse a second one."""

    __tablename__ = "pledge_signatures"
    __table_args__ = (
        CheckConstraint("people BETWEEN 1 AND 30", name="people"),
        CheckConstraint("source IN ('online','paper','sheet')", name="source"),
        Index("uq_pledge_signatures_phone", "phone", unique=True,
              sqlite_where=text("phone IS NOT NULL"), postgresql_where=text("phone IS NOT NULL")),
        Index("uq_pledge_signatures_household", "village_id", "household_key", unique=True,
              sqlite_where=text("household_key IS NOT NULL"), postgresql_where=text("household_key IS NOT NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    text_id: Mapped[int] = mapped_column(ForeignKey("pledge_texts.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    household: Mapped[str | None] = mapped_column(String(30))        # as typed, for display
    household_key: Mapped[str | None] = mapped_column(String(30))    # normalised, for refusing twice
    people: Mapped[int] = mapped_column(Integer)
    phone: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(8))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PledgeVillage(Base):
    """How many households a village has (staff set it): the denominator of coverage."""

    __tablename__ = "pledge_villages"
    __table_args__ = (CheckConstraint("households >= 0", name="households"),)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), primary_key=True)
    households: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Representative(Base):
    """A voters' representative's account and the village whose households they visit."""

    __tablename__ = "representatives"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)


class PledgeVisit(Base):
    """A representative's call at a household (its latest call is its state)."""

    __tablename__ = "pledge_visits"
    __table_args__ = (
        CheckConstraint("outcome IN ('visited','signed','not_home','declined')", name="outcome"),
        Index("ix_pledge_visits_village", "village_id", "household_key", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    household: Mapped[str] = mapped_column(String(30))
    household_key: Mapped[str] = mapped_column(String(30))
    outcome: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    representative_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


# ---------------------------------------------------------------- Face-to-face days (issue 18)

MEETING_STATES = ("draft", "published", "cancelled")
RESPONSE_KINDS = ("answer", "commitment")


class Meeting(Base):
    """A face-to-face day (联络站接待日): who is invited, where, when, how many may register."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("state IN ('draft','published','cancelled')", name="state"),
        CheckConstraint("capacity > 0", name="capacity"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    place: Mapped[str] = mapped_column(String(120))
    topic: Mapped[str] = mapped_column(String(200))
    invited: Mapped[str] = mapped_column(Text, default="")   # one line a unit: "单位 — 职务"
    capacity: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10), default="draft")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]


class MeetingRegistration(Base):
    """A villager registered for a day (name and phone staff only)."""

    __tablename__ = "meeting_registrations"
    __table_args__ = (Index("uq_meeting_registrations_phone", "meeting_id", "phone", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(30))
    phone: Mapped[str] = mapped_column(String(20))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingOpinion(Base):
    """An opinion sent in advance or raised on the day; what became of it (a report, a proposal)."""

    __tablename__ = "meeting_opinions"
    __table_args__ = (CheckConstraint("source IN ('advance','on_day')", name="source"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_registrations.id"))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(8))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))        # linked by its code
    made_report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))   # became this report
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"), index=True)  # evidence for
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingOpinionPhoto(StoredPhoto, Base):
    """An opinion's photo, re-encoded without metadata by qingxi.core.photos."""

    __tablename__ = "meeting_opinion_photos"
    id: Mapped[int] = mapped_column(primary_key=True)
    opinion_id: Mapped[int] = mapped_column(ForeignKey("meeting_opinions.id", ondelete="CASCADE"), index=True)


class MeetingResponse(Base):
    """The official's response to an opinion: an answer, or a commitment by a unit by a date."""

    __tablename__ = "meeting_responses"
    __table_args__ = (
        CheckConstraint("kind IN ('answer','commitment')", name="kind"),
        CheckConstraint("kind = 'answer' OR (unit_id IS NOT NULL AND due_on IS NOT NULL)", name="commitment"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    opinion_id: Mapped[int] = mapped_column(ForeignKey("meeting_opinions.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    official: Mapped[str] = mapped_column(String(60), default="")   # a title, never a person's name
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    done_at: Mapped[datetime | None]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# ---------------------------------------------------------------- Notifications (issue 15)
# A transactional outbox: services write an event in the transaction of the change; the worker
# (qingxi.notify) fans it out to the channels that want it and delivers through apprise.

NOTIFY_STATUSES = ("pending", "sending", "sent", "failed")
NOTIFY_AUDIENCES = ("group", "person")


class NotifyEvent(Base):
    """One thing that happened, written in the same transaction as the change. `payload` is JSON
    without personal data (ids, category, village, km, priority, state); `key` makes a scheduled
    event (clock.due, cleanup.reminder) happen once."""

    __tablename__ = "notify_events"
    __table_args__ = (Index("ix_notify_events_fanout", "fanned_out_at", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(32))
    key: Mapped[str | None] = mapped_column(String(80), unique=True)
    payload: Mapped[str] = mapped_column(Text, default="{}")
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id", ondelete="SET NULL"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    fanned_out_at: Mapped[datetime | None]


class NotifyChannel(Base):
    """Where messages go: an apprise URL kept encrypted (`url_secret`), shown only as `url_hint`;
    `events` a comma list; optionally only one village's or one unit's events."""

    __tablename__ = "notify_channels"
    __table_args__ = (CheckConstraint(f"audience IN {NOTIFY_AUDIENCES}", name="audience"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    url_secret: Mapped[str] = mapped_column(Text)
    url_hint: Mapped[str] = mapped_column(String(80))
    events: Mapped[str] = mapped_column(String(500))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id", ondelete="SET NULL"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    per_minute: Mapped[int] = mapped_column(Integer, default=20)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # group: a duty group's robot; person: an SMS or e-mail gateway whose URL has `{to}` for the
    # person's phone (a volunteer's sign-up phone), used for the messages addressed to them.
    audience: Mapped[str] = mapped_column(String(8), default="group")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NotifyDelivery(Base):
    """One event to one channel: pending → sending (a lease while the worker sends) → sent, or back
    to pending with a later `next_at` after a failure, or failed after the last attempt."""

    __tablename__ = "notify_deliveries"
    __table_args__ = (
        CheckConstraint(f"status IN {NOTIFY_STATUSES}", name="status"),
        Index("uq_notify_deliveries_event_channel", "event_id", "channel_id", "recipient_key", unique=True),
        Index("ix_notify_deliveries_due", "status", "next_at", "channel_id"),
        Index("ix_notify_deliveries_sent", "channel_id", "sent_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("notify_events.id", ondelete="CASCADE"))
    channel_id: Mapped[int] = mapped_column(ForeignKey("notify_channels.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(String(300), default="")
    sent_at: Mapped[datetime | None]
    digest: Mapped[bool] = mapped_column(Boolean, default=False)  # folded into a digest message
    # A person's delivery: their phone and the code of their own page, sealed (qingxi.notify.vault);
    # recipient_key (a keyed hash of the phone) keeps one delivery per person. "" for a group.
    recipient: Mapped[str | None] = mapped_column(Text)
    recipient_key: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
