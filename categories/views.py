from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from coaching.views import upcoming_sessions_for_category
from members.filters import with_card_relations
from members.models import CoreGroupRole, Member

from .models import Category


def category_list(request):
    visible = Member.objects.visible_to(request.user)
    categories = Category.objects.with_member_counts(visible)
    return render(request, "categories/list.html", {"categories": categories})


def category_detail(request, slug):
    """A category's definition, its coming sessions and the members in it the viewer may see."""
    category = get_object_or_404(Category, slug=slug)
    visible = Member.objects.visible_to(request.user)
    in_category = Member.categories.through.objects.filter(category=category)
    members = visible.filter(pk__in=in_category.values("member_id")).order_by("name", "pk")
    page = Paginator(with_card_relations(members), settings.MEMBERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    sig_lead = (
        CoreGroupRole.objects.filter(
            role=CoreGroupRole.Role.SIG_LEAD,
            category=category,
            end_date__isnull=True,
            member__in=visible,
        )
        .select_related("member")
        .first()
    )
    return render(
        request,
        "categories/detail.html",
        {
            "category": category,
            "page": page,
            "sig_lead": sig_lead,
            "category_sessions": upcoming_sessions_for_category(category),
        },
    )
