"""What the funds app adds to the pages that gather from every app (``registry``)."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from network_portal import registry
from network_portal.emails import absolute_url

from .models import Follow, FundAlert, FundCall, FundCallDelivery, contains_slug

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


# A weekly email lists this many calls of a section at most, then links to the rest.
WEEKLY_LIMIT = 8


def _member(user):
    return getattr(user, "member", None)  # cached on the user for the other sections


def _alert(user):
    try:
        alert = user.fund_alert
    except ObjectDoesNotExist:
        return None
    if not alert.is_active or alert.frequency == FundAlert.Frequency.NEVER:
        return None
    return alert


EVERY_CALL = Q(pk__isnull=False)


def _fits_regions(regions):
    """Calls open to any of ``regions`` (global calls included); every call when none."""
    if not regions:
        return EVERY_CALL
    fits = Q(eligible_regions=[])
    for region in regions:
        fits |= contains_slug("eligible_regions", region)
    return fits


def _in_categories(categories):
    through = FundCall.categories.through.objects.filter(category__in=categories)
    return Q(pk__in=through.values("fundcall_id"))


def _listed(calls):
    rows = [
        {"call": call, "call_url": absolute_url(call.get_absolute_url())}
        for call in calls[:WEEKLY_LIMIT]
    ]
    return rows, len(calls) > WEEKLY_LIMIT


def weekly_new_calls(*, user, since, until, **kwargs):
    """Calls published in ``[since, until)`` and still open that match the person's profile
    (its categories and region) or their fund alert, leaving out those already emailed to them
    on publication. None when there are none."""
    member, alert = _member(user), _alert(user)
    wanted = Q(pk__in=[])
    if member is not None:
        wanted |= _in_categories(member.categories.all()) & _fits_regions([member.region])
    if alert is not None:
        categories = list(alert.categories.all())
        wanted |= (_in_categories(categories) if categories else EVERY_CALL) & _fits_regions(
            alert.regions
        )
    if member is None and alert is None:
        return None
    told = FundCallDelivery.objects.filter(
        call=OuterRef("pk"), user=user, kind=FundCallDelivery.Kind.NEW_CALL, sent_at__isnull=False
    )
    calls = list(
        FundCall.objects.open(now=until)
        .filter(published_at__gte=since, published_at__lt=until)
        .filter(wanted)
        .filter(~Exists(told))
        .order_by("deadline", "pk")[: WEEKLY_LIMIT + 1]
    )
    if not calls:
        return None
    rows, more = _listed(calls)
    return {"calls": rows, "more": more, "list_url": absolute_url(reverse("funds:list"))}


def weekly_deadlines(*, user, until, horizon, **kwargs):
    """Calls the person follows whose deadline falls in ``[until, horizon)``; None if none."""
    follows = Follow.objects.filter(user=user).values("call_id")
    calls = list(
        FundCall.objects.open(now=until)
        .filter(pk__in=follows, deadline__lt=horizon)
        .order_by("deadline", "pk")[: WEEKLY_LIMIT + 1]
    )
    if not calls:
        return None
    rows, more = _listed(calls)
    return {
        "calls": rows,
        "more": more,
        "following_url": absolute_url(reverse("funds:following")),
    }


def register():
    registry.register(
        registry.MEMBER_HOME_BLOCKS,
        name="funds-deadlines",
        order=30,
        template="funds/_home_deadlines.html",
        context=member_home_deadlines,
    )
    registry.register(
        registry.WEEKLY_EMAIL_SECTIONS,
        name="funds-new-calls",
        order=10,
        template="funds/weekly/new_calls.html",
        text_template="funds/weekly/new_calls.txt",
        context=weekly_new_calls,
    )
    registry.register(
        registry.WEEKLY_EMAIL_SECTIONS,
        name="funds-deadlines",
        order=20,
        template="funds/weekly/deadlines.html",
        text_template="funds/weekly/deadlines.txt",
        context=weekly_deadlines,
    )
