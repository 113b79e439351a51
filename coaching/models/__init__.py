"""Coaching sessions and series, registrations, reminder and notice emails, knowledge entries."""

from .deliveries import SessionNotice, SessionReminder
from .feeds import CalendarFeed, new_feed_token
from .knowledge import (
    MANAGE_EVERY_ENTRY,
    KnowledgeEntry,
    KnowledgeEntryQuerySet,
    can_write_knowledge,
)
from .sessions import (
    MANAGE_EVERY_SESSION,
    CoachingSession,
    CoachingSessionQuerySet,
    Registration,
    SeriesMembership,
    SessionDetails,
    SessionKind,
    SessionSeries,
    SessionSeriesQuerySet,
)

__all__ = [
    "MANAGE_EVERY_ENTRY",
    "MANAGE_EVERY_SESSION",
    "CalendarFeed",
    "CoachingSession",
    "CoachingSessionQuerySet",
    "KnowledgeEntry",
    "KnowledgeEntryQuerySet",
    "Registration",
    "SeriesMembership",
    "SessionDetails",
    "SessionKind",
    "SessionNotice",
    "SessionReminder",
    "SessionSeries",
    "SessionSeriesQuerySet",
    "can_write_knowledge",
    "new_feed_token",
]
