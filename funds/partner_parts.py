"""What partner search adds to the pages and emails that gather from every app (``registry``).

Kept apart from any other ``funds`` parts module so that each part stays where its feature is.
"""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from network_portal import registry
from network_portal.emails import absolute_url

from .models import Follow, FundCall, PartnerRequest

HOME_LIMIT = 5
WEEKLY_LIMIT = 10


def _member(user):
    return getattr(user, "member", None) if user.is_authenticated else None


def home_partner_requests(*, request, **kwargs):
    """Member home: open requests on calls in my categories, wanting partners from my place.

    A dict for every signed-in user (the block says what to do when it is empty or there is no
    profile to match), None for visitors. Three queries whatever the data.
    """
    user = request.user
    if not user.is_authenticated:
        return None
    member = _member(user)
    if member is None:
        return {"has_profile": False, "partner_requests": []}
    requests = list(
        PartnerRequest.objects.visible_to(user)
        .open()
        .wanting_partners_like(member)
        .exclude(user=user)
        .for_list()
        .order_by("-created_at", "-pk")[:HOME_LIMIT]
    )
    return {"has_profile": True, "partner_requests": requests}


def weekly_partner_requests(*, user, since, **kwargs):
    """Weekly email: requests posted since ``since`` on calls ``user`` follows or that match
    their profile; None when there are none. Each item says whether the call is one they follow.

    The requests are only read here: nothing is sent when one is posted, so a follower hears of
    it once, in the week it was posted. Three queries whatever the data.
    """
    followed_calls = FundCall.objects.filter(follows__user=user)
    wanted = Q(call__in=followed_calls)
    member = _member(user)
    if member is not None:
        wanted |= Q(pk__in=PartnerRequest.objects.wanting_partners_like(member).values("pk"))
    requests = list(
        PartnerRequest.objects.visible_to(user)
        .open()
        .filter(wanted, created_at__gte=since)
        .exclude(user=user)
        .annotate(on_followed_call=Exists(Follow.objects.filter(user=user, call=OuterRef("call"))))
        .for_list()
        .order_by("-on_followed_call", "call__deadline", "-created_at", "-pk")[: WEEKLY_LIMIT + 1]
    )
    if not requests:
        return None
    return {
        "partner_requests": [
            {
                "partner_request": partner_request,
                "url": absolute_url(partner_request.get_absolute_url()),
                "call_url": absolute_url(partner_request.call.get_absolute_url()),
            }
            for partner_request in requests[:WEEKLY_LIMIT]
        ],
        "more": len(requests) > WEEKLY_LIMIT,
        "list_url": absolute_url(reverse("funds:partners")),
    }


def register():
    registry.register(
        registry.MEMBER_HOME_BLOCKS,
        name="partner-requests",
        order=50,
        template="funds/partners/_home_block.html",
        context=home_partner_requests,
    )
    registry.register(
        registry.WEEKLY_EMAIL_SECTIONS,
        name="partner-requests",
        order=50,
        template="funds/partners/_weekly_section.html",
        text_template="funds/partners/_weekly_section.txt",
        context=weekly_partner_requests,
    )
