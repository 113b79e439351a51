from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import delivery, registry


def home(request):
    """Visitors: the network in figures and its categories. Signed in: the member's own home.

    The apps register their parts in ``network_portal.registry``; the home imports none of them.
    """
    if request.user.is_authenticated:
        return member_home(request)
    return render(
        request,
        "home.html",
        {
            "figures": registry.render(registry.HOME_FIGURES, request=request),
            "sections": registry.render(registry.HOME_SECTIONS, request=request),
        },
    )


def member_home(request):
    """A signed-in person's home: the blocks each app registers, in a grid.

    Each block costs a fixed number of queries (``registry``), so the page's count does not
    grow with the data. A user without a profile is led to create or claim one. Below the
    blocks, the network in figures and its categories, as on the visitors' home.
    """
    return render(
        request,
        "home/member.html",
        {
            "blocks": registry.render(registry.MEMBER_HOME_BLOCKS, request=request),
            "figures": registry.render(registry.HOME_FIGURES, request=request),
            "sections": registry.render(registry.HOME_SECTIONS, request=request),
        },
    )


def _cache_state():
    try:
        cache.set("healthz", "ok", timeout=10)
        return "ok" if cache.get("healthz") == "ok" else "unavailable"
    except Exception:  # any backend's connection error; the probe must answer all the same
        return "unavailable"


@never_cache
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not.

    The body also says whether the cache answers and how many seconds the oldest email that is
    due has waited unsent (a stopped worker shows there); neither changes the status.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"database": "unavailable", "cache": _cache_state()}, status=503)
    return JsonResponse(
        {
            "database": "ok",
            "cache": _cache_state(),
            "oldest_unsent_email_seconds": delivery.oldest_unsent_age(),
        }
    )
