"""What pages of lower apps show of the members: a category's members, its SIG lead, counts.

The categories app cannot import members (DESIGN.md); its templates load these tags instead.
Each tag costs a fixed number of queries, whatever the number of members.
"""

from django import template
from django.conf import settings
from django.core.paginator import Paginator

from ..filters import with_card_relations
from ..models import CoreGroupRole, Member

register = template.Library()


@register.simple_tag(takes_context=True)
def with_visible_member_counts(context, categories):
    """``categories`` with ``member_count``: how many members the viewer may see in each."""
    visible = Member.objects.visible_to(context["request"].user)
    return list(categories.with_member_counts(visible))


@register.simple_tag(takes_context=True)
def category_members_page(context, category):
    """The page (``?page=``) of the members of ``category`` the viewer may see, as cards."""
    request = context["request"]
    in_category = Member.categories.through.objects.filter(category=category)
    members = Member.objects.visible_to(request.user).filter(pk__in=in_category.values("member_id"))
    members = with_card_relations(members.order_by("name", "pk"))
    return Paginator(members, settings.MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))


@register.simple_tag(takes_context=True)
def sig_lead_of(context, category):
    """The current lead of ``category``'s special-interest group, if the viewer may see them."""
    return (
        CoreGroupRole.objects.filter(
            role=CoreGroupRole.Role.SIG_LEAD,
            category=category,
            end_date__isnull=True,
            member__in=Member.objects.visible_to(context["request"].user),
        )
        .select_related("member")
        .first()
    )
