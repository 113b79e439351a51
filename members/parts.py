"""What the members app adds to the pages that gather from every app (``registry``)."""

from django.db.models import Count
from django.db.models.functions import Coalesce
from django.urls import reverse

from categories.models import Category
from network_portal import registry
from network_portal.emails import absolute_url

from .models import Member
from .regions import Region


def home_figures(*, request):
    """The members and countries the viewer can see (the directory's own total), and regions."""
    totals = Member.objects.visible_to(request.user).aggregate(
        members=Count("pk"), countries=Count("country", distinct=True)
    )
    return {**totals, "regions": len(Region.values)}


def home_categories(*, request):
    """The categories, each with the number of its members the viewer can see."""
    visible = Member.objects.visible_to(request.user)
    return {"categories": list(Category.objects.with_member_counts(visible))}


WEEKLY_LIMIT = 8


def weekly_new_members(*, user, since, until, **kwargs):
    """Profiles listed in ``[since, until)`` (approved, or created listed) that share a category
    with the person's own and that they may see; None without a profile or when there are none.
    Imported profiles nobody has claimed yet are not members yet."""
    member = getattr(user, "member", None)
    if member is None:
        return None
    mine = set(member.categories.values_list("pk", flat=True))
    if not mine:
        return None
    shared = Member.categories.through.objects.filter(category_id__in=mine)
    members = list(
        Member.objects.visible_to(user)
        .listed()
        .filter(owner__isnull=False, pk__in=shared.values("member_id"))
        .exclude(pk=member.pk)
        .alias(listed_at=Coalesce("approved_at", "created_at"))
        .filter(listed_at__gte=since, listed_at__lt=until)
        .prefetch_related("categories")
        .order_by("-listed_at", "pk")[: WEEKLY_LIMIT + 1]
    )
    if not members:
        return None
    rows = [
        {
            "member": other,
            "url": absolute_url(other.get_absolute_url()),
            "categories": [c.display_name for c in other.categories.all() if c.pk in mine],
        }
        for other in members[:WEEKLY_LIMIT]
    ]
    return {
        "members": rows,
        "more": len(members) > WEEKLY_LIMIT,
        "directory_url": absolute_url(reverse("members:list")),
    }


def register():
    registry.register(
        registry.HOME_FIGURES,
        name="members",
        order=10,
        template="members/_home_figures.html",
        context=home_figures,
    )
    registry.register(
        registry.HOME_SECTIONS,
        name="categories",
        order=10,
        template="members/_home_categories.html",
        context=home_categories,
    )
    registry.register(
        registry.WEEKLY_EMAIL_SECTIONS,
        name="members-new-members",
        order=40,
        template="members/weekly/new_members.html",
        text_template="members/weekly/new_members.txt",
        context=weekly_new_members,
    )
