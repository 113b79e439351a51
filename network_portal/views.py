from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import registry


def home(request):
    """The network in figures and its categories, each part from the app that owns it.

    The apps register their parts in ``network_portal.registry``; the home imports none of them.
    """
    return render(
        request,
        "home.html",
        {
            "figures": registry.render(registry.HOME_FIGURES, request=request),
            "sections": registry.render(registry.HOME_SECTIONS, request=request),
        },
    )


@never_cache
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})
