"""What the connections app adds to the pages and emails that gather from every app."""

from network_portal import registry
from network_portal.emails import absolute_url

from .similarity import similar_members

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
        registry.WEEKLY_EMAIL_SECTIONS,
        name="connections-people-like-you",
        order=50,
        template="connections/weekly/people_like_you.html",
        text_template="connections/weekly/people_like_you.txt",
        context=weekly_people_like_you,
    )
