"""What the connections app adds to the pages that gather from every app (``registry``)."""

from network_portal import registry

from .similarity import similar_members

HOME_SUGGESTIONS = 6


def member_home_similar(*, request):
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


def register():
    registry.register(
        registry.MEMBER_HOME_BLOCKS,
        name="connections-similar",
        order=40,
        template="connections/_home_similar.html",
        context=member_home_similar,
    )
