"""What the coaching app adds to the pages that gather from every app (``registry``)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from network_portal import registry

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


def register():
    registry.register(
        registry.MEMBER_HOME_BLOCKS,
        name="coaching-sessions",
        order=20,
        template="coaching/_home_sessions.html",
        context=member_home_sessions,
    )
