from django import template

from members.regions import Region

from ..models import FundCall

register = template.Library()


@register.filter
def region_label(slug):
    """The translated name of a region slug."""
    try:
        return Region(slug).label
    except ValueError:
        return slug


@register.simple_tag
def open_calls_for(category, limit=5):
    """The open calls of ``category`` closing first, for the category's page."""
    calls = FundCall.objects.open().in_categories([category]).order_by("deadline", "pk")
    return list(calls.prefetch_related("categories")[:limit])
