"""What connections adds to the pages that gather from every app (``registry``)."""

from network_portal import registry
from network_portal.emails import absolute_url

from .emails import unread_conversations
from .models import Introduction
from .services import own_member
from .similarity import similar_members

HOME_SUGGESTIONS = 6
SHOWN = 5


def member_home(*, request, **kwargs):
    """Introductions waiting for my answer and conversations with unread messages (two
    queries); None for those without a profile (nobody can write to them)."""
    member = own_member(request.user)
    if member is None:
        return None
    waiting = list(
        Introduction.objects.filter(recipient=member, status=Introduction.Status.PENDING)
        .select_related("sender")
        .order_by("created_at")[:SHOWN]
    )
    return {"waiting": waiting, "unread": unread_conversations(request.user)[:SHOWN]}


def member_home_similar(*, request, **kwargs):
    """People like me: the members most similar to my profile that I may see; None without one.

    One query (``similar_members``, with the profile the page has loaded already).
    """
    member = getattr(request.user, "member", None)
    if member is None:
        return None
    return {
        "member": member,
        "suggestions": similar_members(member, request.user, HOME_SUGGESTIONS),
    }


WEEKLY_LIMIT = 3


def weekly_people_like_you(*, user, since, until, **kwargs):
    """Up to three of the person's similar members whose profile changed (or was created) in
    ``[since, until)``: a reason to get in touch this week. None without a profile or news."""
    member = getattr(user, "member", None)
    if member is None:
        return None
    suggestions = similar_members(member, user, WEEKLY_LIMIT, changed_between=(since, until))
    if not suggestions:
        return None
    return {
        "people": [
            {"suggestion": s, "url": absolute_url(s.member.get_absolute_url())} for s in suggestions
        ]
    }


def register():
    registry.register(
        registry.MEMBER_HOME_BLOCKS,
        name="connections",
        order=30,
        template="connections/_member_home.html",
        context=member_home,
    )
    registry.register(
        registry.MEMBER_HOME_BLOCKS,
        name="connections-similar",
        order=40,
        template="connections/_home_similar.html",
        context=member_home_similar,
    )
    registry.register(
        registry.WEEKLY_EMAIL_SECTIONS,
        name="connections-people-like-you",
        order=50,
        template="connections/weekly/people_like_you.html",
        text_template="connections/weekly/people_like_you.txt",
        context=weekly_people_like_you,
    )
