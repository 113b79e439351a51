"""Coaching sessions and series, registrations, reminder and notice emails, knowledge entries."""

from .deliveries import SessionNotice, SessionReminder
from .feeds import CalendarFeed, new_feed_token
from .knowledge import KnowledgeEntry, KnowledgeEntryQuerySet
from .sessions import (
    MANAGE_EVERY_SESSION,
    CoachingSession,
    CoachingSessionQuerySet,
    Registration,
    SessionDetails,
    SessionKind,
    SessionSeries,
)

__all__ = [
    "MANAGE_EVERY_SESSION",
    "CalendarFeed",
    "CoachingSession",
    "CoachingSessionQuerySet",
    "KnowledgeEntry",
    "KnowledgeEntryQuerySet",
    "Registration",
    "SessionDetails",
    "SessionKind",
    "SessionNotice",
    "SessionReminder",
    "SessionSeries",
    "new_feed_token",
]
