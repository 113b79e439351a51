"""What the coaching app adds to the pages that gather from every app (``registry``)."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from network_portal import registry
from network_portal.emails import absolute_url

from .models import CoachingSession, Registration

HOME_SESSIONS = 5
# The online link becomes a "Join" button this long before the start, until the end.
JOIN_OPENS_BEFORE = datetime.timedelta(minutes=15)


def member_home_sessions(*, request, now=None):
    """My next sessions (a seat, a waitlist place, or hosting), soonest first; one query.

    Each session carries ``join_link`` once it is due (from ``JOIN_OPENS_BEFORE`` the start to
    its end), and only for those who hold a seat or host it.
    """
    user = request.user
    now = now or timezone.now()
    mine = Registration.objects.filter(
        user=user, status__in=[Registration.Status.REGISTERED, Registration.Status.WAITLISTED]
    )
    hosted = CoachingSession.hosts.through.objects.filter(member__owner=user)
    sessions = list(
        CoachingSession.objects.scheduled()
        .upcoming(now=now)
        .filter(Q(pk__in=mine.values("session_id")) | Q(pk__in=hosted.values("coachingsession_id")))
        .with_status_for(user)
        .only("pk", "title", "start", "end", "online_link", "place", "status")[:HOME_SESSIONS]
    )
    for session in sessions:
        session.is_host = session.my_status is None or session.my_status == "cancelled"
        may_join = session.is_host or session.my_status == Registration.Status.REGISTERED
        due = session.start - JOIN_OPENS_BEFORE <= now < session.end
        session.join_link = session.online_link if may_join and due else ""
    return {"sessions": sessions}


WEEKLY_LIMIT = 6


def weekly_upcoming_sessions(*, user, until, horizon, language=None, **kwargs):
    """Scheduled sessions starting in ``[until, horizon)`` in the person's categories (or open
    to every category) and in one of their working languages (their email language when the
    profile names none), leaving out those they registered for. None without a profile or
    when there are none."""
    member = getattr(user, "member", None)
    if member is None:
        return None
    in_categories = CoachingSession.categories.through.objects.filter(
        category__in=member.categories.all()
    ).values("coachingsession_id")
    any_category = CoachingSession.categories.through.objects.filter(
        coachingsession_id=OuterRef("pk")
    )
    languages = Q(language__in=member.languages.all()) | Q(
        language_id=language or user.preferred_language
    )
    registered = Registration.objects.filter(session=OuterRef("pk"), user=user)
    sessions = list(
        CoachingSession.objects.scheduled()
        .filter(start__gte=until, start__lt=horizon)
        .filter(Q(pk__in=in_categories) | ~Exists(any_category))
        .filter(languages)
        .filter(~Exists(registered))
        .order_by("start", "pk")[: WEEKLY_LIMIT + 1]
    )
    if not sessions:
        return None
    return {
        "sessions": [
            {"session": session, "session_url": absolute_url(session.get_absolute_url())}
            for session in sessions[:WEEKLY_LIMIT]
        ],
        "more": len(sessions) > WEEKLY_LIMIT,
        "list_url": absolute_url(reverse("coaching:list")),
    }


def register():
    registry.register(
        registry.MEMBER_HOME_BLOCKS,
        name="coaching-sessions",
        order=20,
        template="coaching/_home_sessions.html",
        context=member_home_sessions,
    )
    registry.register(
        registry.WEEKLY_EMAIL_SECTIONS,
        name="coaching-upcoming-sessions",
        order=30,
        template="coaching/weekly/upcoming_sessions.html",
        text_template="coaching/weekly/upcoming_sessions.txt",
        context=weekly_upcoming_sessions,
    )
