"""SQLAlchemy 2 typed models. Every schema change goes through an Alembic migration."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime, utcnow  # noqa: F401  (re-exported)


class LocalizedName:
    """Reference rows carry their name in both languages; organizers may edit them."""

    name_ky: Mapped[str]
    name_ru: Mapped[str]

    def name(self, locale: str | None) -> str:
        return self.name_ky if locale == "ky" else self.name_ru


class Region(LocalizedName, Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_ky: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # Where a person can live; "national" applies to proposals only.
    is_residence: Mapped[bool] = mapped_column(Boolean, default=True)


class Topic(LocalizedName, Base):
    __tablename__ = "topics"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_ky: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class StakeholderCategory(LocalizedName, Base):
    __tablename__ = "stakeholder_categories"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_ky: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Country(LocalizedName, Base):
    """Quick picks for compatriots abroad; anything else is typed as free text."""

    __tablename__ = "countries"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name_ky: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class EventKind(LocalizedName, Base):
    __tablename__ = "event_kinds"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_ky: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    language: Mapped[str | None] = mapped_column(String(8))
    # "given" or "declined"; None until asked. Personal fields below are filled only after "given".
    consent: Mapped[str | None] = mapped_column(String(16))
    consent_at: Mapped[datetime | None]
    full_name: Mapped[str | None] = mapped_column(String(100))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    country_other: Mapped[str | None] = mapped_column(String(100))
    category_code: Mapped[str | None] = mapped_column(ForeignKey("stakeholder_categories.code"))
    gender: Mapped[str | None] = mapped_column(String(16))  # "female", "male" or None
    organisation: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    registered_at: Mapped[datetime | None]
    is_organizer: Mapped[bool] = mapped_column(Boolean, default=False)
    # False after Telegram answered 403 (blocked, deactivated); True again when they write.
    is_reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    announcements_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Their own time zone (IANA name) chosen in /profile; when empty, a compatriot abroad has
    # the zone of their country (bot/services/local_time.py).
    time_zone: Mapped[str | None] = mapped_column(String(64))

    @property
    def is_registered(self) -> bool:
        return self.registered_at is not None

    @property
    def lives_abroad(self) -> bool:
        return self.region_code == "abroad"


class FsmState(Base):
    """aiogram conversation state, kept in the database so it survives a restart."""

    __tablename__ = "fsm_states"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OutboxMessage(Base):
    """A message that is not a direct reply: written in the transaction that causes it,
    rendered in the recipient's language and sent by bot/delivery.py."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    # Name of a registered notice renderer (bot/notices.py) and its parameters.
    template: Mapped[str] = mapped_column(String(60))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Optional attachment: a Telegram file_id or a path under the data directory.
    attachment_kind: Mapped[str | None] = mapped_column(String(16))  # "photo" or "document"
    attachment_ref: Mapped[str | None] = mapped_column(Text)
    # Makes "send exactly once" a constraint, not a hope: reminders use a deterministic key.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    # Announcements and bypassing the person's opt-out are decided by the enqueuer.
    broadcast_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # pending → sending → sent; or failed (permanent error, or out of attempts); or dropped
    # (the person blocked the bot, or the organizer stopped the broadcast).
    status: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Broadcast(Base):
    """An organizer's announcement: its texts, audience, and the progress view."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text_ky: Mapped[str | None] = mapped_column(Text)
    text_ru: Mapped[str | None] = mapped_column(Text)
    attachment_kind: Mapped[str | None] = mapped_column(String(16))  # "photo" or "document"
    attachment_ref: Mapped[str | None] = mapped_column(Text)  # a Telegram file_id
    audience: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="sending")  # sending/stopped/done
    total: Mapped[int] = mapped_column(Integer, default=0)
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # The content is stored here once; each recipient's outbox row points to it. Recipients
    # are added in the background in chunks, in the order of user ids: the last one added
    # (None once all are), and how many rows were added.
    fanout_after_user_id: Mapped[int | None] = mapped_column(Integer)
    fanned_out: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Figures of outbox rows deleted by compaction: {"status|error": count}.
    archived_counts: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")


# --- The consultation's core records. Each feature extends its own tables by migration. ---


class Event(Base):
    """A dialogue, forum, open platform, round table, hearing or session."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_status_starts", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind_code: Mapped[str] = mapped_column(ForeignKey("event_kinds.code"))
    # Organizers write content in both languages; one may be empty (the other is shown).
    title_ky: Mapped[str | None] = mapped_column(String(200))
    title_ru: Mapped[str | None] = mapped_column(String(200))
    description_ky: Mapped[str | None] = mapped_column(Text)
    description_ru: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    format: Mapped[str] = mapped_column(String(16), default="in_person")  # in_person/online/hybrid
    venue: Mapped[str | None] = mapped_column(String(300))
    online_url: Mapped[str | None] = mapped_column(String(500))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    capacity: Mapped[int | None] = mapped_column(Integer)
    registration_deadline: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft/published/cancelled
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def title(self, locale: str | None) -> str:
        preferred = self.title_ky if locale == "ky" else self.title_ru
        return preferred or self.title_ru or self.title_ky or ""

    def description(self, locale: str | None) -> str:
        preferred = self.description_ky if locale == "ky" else self.description_ru
        return preferred or self.description_ru or self.description_ky or ""


class EventTopic(Base):
    __tablename__ = "event_topics"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    topic_code: Mapped[str] = mapped_column(ForeignKey("topics.code"), primary_key=True)


class Proposal(Base):
    """A participant's proposal; its status follows the lifecycle in DOMAIN.md."""

    __tablename__ = "proposals"
    __table_args__ = (
        Index("ix_proposals_status_created", "status", "created_at"),
        Index("ix_proposals_region_topic_support", "region_code", "topic_code", "support_count"),
        # Every proposals screen walks one of these in its order (0012_perf_indexes).
        Index("ix_proposals_created", "created_at", "id"),
        Index("ix_proposals_support", "support_count", "id"),
        Index("ix_proposals_region_created", "region_code", "created_at", "id"),
        Index("ix_proposals_region_support", "region_code", "support_count", "id"),
        Index("ix_proposals_topic_created", "topic_code", "created_at", "id"),
        Index("ix_proposals_topic_support", "topic_code", "support_count", "id"),
        Index("ix_proposals_region_topic_created", "region_code", "topic_code", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Kept after /deleteme (the person's row stays with no personal data), so "unattributed".
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    topic_code: Mapped[str] = mapped_column(ForeignKey("topics.code"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    text: Mapped[str] = mapped_column(Text)
    is_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    attachment_kind: Mapped[str | None] = mapped_column(String(16))  # "photo" or "document"
    attachment_file_id: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(24), default="submitted")
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProposalStatusChange(Base):
    """The proposal's history: every status it went through, with who and why."""

    __tablename__ = "proposal_status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProposalSupport(Base):
    __tablename__ = "proposal_supports"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Agency(Base):
    """A responsible state body that answers the proposals forwarded to it."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_ky: Mapped[str] = mapped_column(String(300))
    name_ru: Mapped[str] = mapped_column(String(300))
    answer_days: Mapped[int] = mapped_column(Integer, default=14)
    working_days: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Short enough for a button or a list line ("Минобрнауки"); the full name when empty.
    short_name_ky: Mapped[str | None] = mapped_column(String(60))
    short_name_ru: Mapped[str | None] = mapped_column(String(60))

    def name(self, locale: str | None) -> str:
        return self.name_ky if locale == "ky" else self.name_ru

    def short_name(self, locale: str | None) -> str:
        short = self.short_name_ky if locale == "ky" else self.short_name_ru
        return short or self.name(locale)


class TopicRoute(Base):
    """Which agency answers a topic by default; organizers edit it."""

    __tablename__ = "topic_routes"

    topic_code: Mapped[str] = mapped_column(ForeignKey("topics.code"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))


class Registration(Base):
    """A person's place at an event: registered, on the waiting list, or cancelled.

    The waiting list is ordered by `queued_at` (then id); `code` is shown at the door and checked
    by an organizer, which sets `attended_at`. The reminder columns say which reminders were
    queued already (the outbox dedupe key makes them exactly-once as well)."""

    __tablename__ = "registrations"
    __table_args__ = (
        Index("ix_registrations_event_status_queued", "event_id", "status", "queued_at"),
        Index("uq_registrations_event_user", "event_id", "user_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # registered/waiting/cancelled
    code: Mapped[str] = mapped_column(String(12), unique=True)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    attended_at: Mapped[datetime | None]
    reminded_24h_at: Mapped[datetime | None]
    reminded_1h_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Holiday(Base):
    """Public holidays skipped when an agency counts its answer time in working days."""

    __tablename__ = "holidays"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name_ky: Mapped[str] = mapped_column(String(200), default="")
    name_ru: Mapped[str] = mapped_column(String(200), default="")


class AgencyRepresentative(Base):
    __tablename__ = "agency_representatives"
    __table_args__ = (UniqueConstraint("agency_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgencyInvitation(Base):
    """A one-time link; only the SHA-256 of its token is stored."""

    __tablename__ = "agency_invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Forwarding(Base):
    """A proposal sent to an agency. Open while answered_at and returned_at are both empty;
    the sweeps look only at next_reminder_at / escalate_at (NULL once nothing is left to send)."""

    __tablename__ = "forwardings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    forwarded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    forwarded_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime]
    next_reminder_at: Mapped[datetime | None] = mapped_column(index=True)
    escalate_at: Mapped[datetime | None] = mapped_column(index=True)
    extended_at: Mapped[datetime | None]
    extension_reason: Mapped[str | None] = mapped_column(Text)
    returned_at: Mapped[datetime | None]
    return_reason: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(24))


class AgencyAnswer(Base):
    __tablename__ = "agency_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    forwarding_id: Mapped[int] = mapped_column(
        ForeignKey("forwardings.id", ondelete="CASCADE"), unique=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    document_file_id: Mapped[str | None] = mapped_column(String(300))
    outcome: Mapped[str] = mapped_column(String(24))
    next_update_on: Mapped[date | None] = mapped_column(Date)
    # When to ask the proposal's author "Did this answer your proposal?"; NULL once asked.
    satisfaction_ask_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnswerSatisfaction(Base):
    __tablename__ = "answer_satisfaction"

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("agency_answers.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    satisfied: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EventSummary(Base):
    """What came of an event, published for its participants: text in both languages (one may
    be empty) and/or a PDF or DOCX file kept as a Telegram file_id."""

    __tablename__ = "event_summaries"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    text_ky: Mapped[str | None] = mapped_column(Text)
    text_ru: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[str | None] = mapped_column(String(300))
    file_name: Mapped[str | None] = mapped_column(String(200))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def text(self, locale: str) -> str:
        """The text in `locale`, or the other language's when that one is empty."""
        own, other = (
            (self.text_ky, self.text_ru) if locale == "ky" else (self.text_ru, self.text_ky)
        )
        return own or other or ""


class Lease(Base):
    """A named job that one process at a time may run (a sweep, the announcements' progress
    loop): whoever holds an unexpired lease runs it; a dead holder's lease simply runs out."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime] = mapped_column()


class ButtonList(Base):
    """A list of ids a button acts on (e.g. "publish all on this page"), kept on the server
    under a short token so the callback data stays within Telegram's 64 bytes and every
    process can read it."""

    __tablename__ = "button_lists"

    token: Mapped[str] = mapped_column(String(16), primary_key=True)
    payload: Mapped[str] = mapped_column(Text)  # ids comma-separated, or a search query
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


# --- Public discussion of a draft (bot/services/drafts) ---------------------------------------


class Draft(Base):
    """A draft (concept, programme, law) published for comments clause by clause over a
    period. "pending" until the organizer confirms its outline, then "published"."""

    __tablename__ = "drafts"
    __table_args__ = (Index("ix_drafts_status_closes", "status", "closes_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title_ky: Mapped[str | None] = mapped_column(String(300))
    title_ru: Mapped[str | None] = mapped_column(String(300))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending/published
    # The language of the uploaded text that defines the structure: "ky" or "ru".
    primary_language: Mapped[str] = mapped_column(String(8), default="ky")
    has_headings: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def title(self, locale: str | None) -> str:
        preferred = self.title_ky if locale == "ky" else self.title_ru
        return preferred or self.title_ru or self.title_ky or ""


class DraftClause(Base):
    """One clause in reading order (`position`), with its chapter and section headings; the
    text in the draft's languages (one may be missing). `comment_count` is kept by the
    services so the outline and "most discussed" need no count over comments."""

    __tablename__ = "draft_clauses"
    __table_args__ = (
        UniqueConstraint("draft_id", "position"),
        Index("ix_draft_clauses_draft_chapter", "draft_id", "chapter", "position", "comment_count"),
        Index("ix_draft_clauses_draft_comments", "draft_id", "comment_count"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    chapter: Mapped[int] = mapped_column(Integer)  # 1-based ordinal of the chapter
    chapter_title_ky: Mapped[str | None] = mapped_column(Text)
    chapter_title_ru: Mapped[str | None] = mapped_column(Text)
    section_title_ky: Mapped[str | None] = mapped_column(Text)
    section_title_ru: Mapped[str | None] = mapped_column(Text)
    number: Mapped[str] = mapped_column(String(40))
    text_ky: Mapped[str | None] = mapped_column(Text)
    text_ru: Mapped[str | None] = mapped_column(Text)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)

    def text(self, locale: str | None) -> str:
        preferred = self.text_ky if locale == "ky" else self.text_ru
        return preferred or self.text_ru or self.text_ky or ""

    def chapter_title(self, locale: str | None) -> str:
        preferred = self.chapter_title_ky if locale == "ky" else self.chapter_title_ru
        return preferred or self.chapter_title_ru or self.chapter_title_ky or ""

    def section_title(self, locale: str | None) -> str:
        preferred = self.section_title_ky if locale == "ky" else self.section_title_ru
        return preferred or self.section_title_ru or self.section_title_ky or ""


class DraftComment(Base):
    """A comment on a clause, or a proposed wording with its reason, and the drafters'
    decision. Region, country and category are the author's at the time of writing."""

    __tablename__ = "draft_comments"
    __table_args__ = (Index("ix_draft_comments_draft_clause", "draft_id", "clause_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    clause_id: Mapped[int] = mapped_column(ForeignKey("draft_clauses.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "comment" or "wording"
    text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    show_name: Mapped[bool] = mapped_column(Boolean, default=False)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    country_other: Mapped[str | None] = mapped_column(String(100))
    category_code: Mapped[str | None] = mapped_column(ForeignKey("stakeholder_categories.code"))
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    decision: Mapped[str | None] = mapped_column(String(16))  # accepted/partly/rejected
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DraftCommentSupport(Base):
    __tablename__ = "draft_comment_supports"

    comment_id: Mapped[int] = mapped_column(
        ForeignKey("draft_comments.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# Polls and post-event surveys (issue 19) live in their own module.
from db.models_polls import (  # noqa: E402, F401
    EventSurvey,
    Poll,
    PollAnswer,
    PollCopy,
    SurveyResponse,
)

# The public site's pages of published proposals (migration 0015_public_site).
Index("ix_proposals_region_id", Proposal.region_code, Proposal.id)
Index("ix_proposals_topic_id", Proposal.topic_code, Proposal.id)
Index("ix_proposals_region_topic_id", Proposal.region_code, Proposal.topic_code, Proposal.id)
Index("ix_proposals_updated_at", Proposal.updated_at)
Index("ix_answer_satisfaction_created_at", AnswerSatisfaction.created_at)
