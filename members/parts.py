"""What the members app adds to the pages that gather from every app (``registry``)."""

from django.db.models import Count

from categories.models import Category
from network_portal import registry

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


def needs_assessment(*, request, **kwargs):
    """The member's prompt to answer (or edit) their needs assessment; None without a profile."""
    from .needs import needs_prompt

    if not request.user.is_authenticated:
        return None
    member = Member.objects.filter(owner=request.user).first()
    if member is None:
        return None
    return needs_prompt(member)


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
        registry.MEMBER_HOME_BLOCKS,
        name="needs-assessment",
        order=50,
        template="members/_needs_prompt.html",
        context=needs_assessment,
    )
