"""What the funds app adds to the pages that gather from every app (``registry``)."""

from network_portal import registry

from .models import FundCall

HOME_DEADLINES = 5


def member_home_deadlines(*, request):
    """The next deadlines of the open calls I follow (and may still see), soonest first.

    One query; ``more`` says whether further followed calls are open.
    """
    user = request.user
    calls = list(
        FundCall.objects.visible_to(user)
        .open()
        .filter(follows__user=user)
        .order_by("deadline", "pk")
        .only("pk", "title", "funder", "deadline", "deadline_time_zone")[: HOME_DEADLINES + 1]
    )
    return {"calls": calls[:HOME_DEADLINES], "more": len(calls) > HOME_DEADLINES}


def register():
    registry.register(
        registry.MEMBER_HOME_BLOCKS,
        name="funds-deadlines",
        order=30,
        template="funds/_home_deadlines.html",
        context=member_home_deadlines,
    )
