"""What the connections app adds to the pages that gather from every app (``registry``)."""

from network_portal import registry

from .similarity import similar_members_for

HOME_SUGGESTIONS = 6


def member_home_similar(*, request):
    """People like me: the members most similar to my profile that I may see; None without one.

    A fixed number of queries (``similar_members_for``).
    """
    member = getattr(request.user, "member", None)
    if member is None:
        return None
    return {
        "member": member,
        "suggestions": similar_members_for(request.user, limit=HOME_SUGGESTIONS),
    }


def register():
    registry.register(
        registry.MEMBER_HOME_BLOCKS,
        name="connections-similar",
        order=40,
        template="connections/_home_similar.html",
        context=member_home_similar,
    )
