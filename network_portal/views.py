from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from categories.models import Category
from members.models import Member
from members.regions import Region


def home(request):
    visible = Member.objects.visible_to(request.user)
    listed = Member.objects.listed()
    figures = {
        "members": listed.count(),
        "countries": listed.values("country").distinct().count(),
        "regions": len(Region.values),
        "categories": Category.objects.count(),
    }
    categories = Category.objects.with_member_counts(visible)
    return render(request, "home.html", {"figures": figures, "categories": categories})


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
