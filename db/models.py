"""SQLAlchemy 2 typed models. Every schema change goes through an Alembic migration.

The models live in a module per sub-domain (db/models_*.py), all on the one Base of
db/base.py; this module imports every one of them, so that Base.metadata and the mappers know
every table, and re-exports their names: code, tests and migrations import from here."""

from db.base import Base, UTCDateTime, utcnow
from db.models_agencies import (
    Agency,
    AgencyAnswer,
    AgencyInvitation,
    AgencyRepresentative,
    AnswerSatisfaction,
    Forwarding,
    Holiday,
    TopicRoute,
)
from db.models_drafts import Draft, DraftClause, DraftComment, DraftCommentSupport
from db.models_events import Event, EventSummary, EventTopic, Registration
from db.models_outbox import Broadcast, Lease, OutboxMessage
from db.models_people import ButtonList, FsmState, User
from db.models_polls import EventSurvey, Poll, PollAnswer, PollCopy, SurveyResponse
from db.models_proposals import Proposal, ProposalStatusChange, ProposalSupport
from db.models_reference import (
    Country,
    EventKind,
    LocalizedName,
    Region,
    StakeholderCategory,
    Topic,
)

__all__ = [
    "Agency",
    "AgencyAnswer",
    "AgencyInvitation",
    "AgencyRepresentative",
    "AnswerSatisfaction",
    "Base",
    "Broadcast",
    "ButtonList",
    "Country",
    "Draft",
    "DraftClause",
    "DraftComment",
    "DraftCommentSupport",
    "Event",
    "EventKind",
    "EventSummary",
    "EventSurvey",
    "EventTopic",
    "Forwarding",
    "FsmState",
    "Holiday",
    "Lease",
    "LocalizedName",
    "OutboxMessage",
    "Poll",
    "PollAnswer",
    "PollCopy",
    "Proposal",
    "ProposalStatusChange",
    "ProposalSupport",
    "Region",
    "Registration",
    "StakeholderCategory",
    "SurveyResponse",
    "Topic",
    "TopicRoute",
    "UTCDateTime",
    "User",
    "utcnow",
]
