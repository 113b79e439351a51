"""What the coaching app adds to the pages and emails that gather from every app (``registry``)."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from network_portal import registry
from network_portal.emails import absolute_url

from .models import CoachingSession, Registration

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
        registry.WEEKLY_EMAIL_SECTIONS,
        name="coaching-upcoming-sessions",
        order=30,
        template="coaching/weekly/upcoming_sessions.html",
        text_template="coaching/weekly/upcoming_sessions.txt",
        context=weekly_upcoming_sessions,
    )
