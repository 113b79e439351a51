"""What pages of lower apps show of the discussions: a category's latest threads.

The categories app cannot import discussions (DESIGN.md); ``categories/detail.html`` includes
``discussions/_category_threads.html``, which loads this tag. One query, members only.
"""

from django import template

from ..models import Thread, may_read

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_threads_in(context, category, limit=3):
    """The latest threads of ``category`` the viewer may read (none for visitors)."""
    user = context["request"].user
    if not may_read(user):
        return []
    threads = Thread.objects.visible_to(user).filter(category=category)
    threads = threads.with_unread(user).select_related("category")
    return list(threads.order_by("-last_posted_at", "-pk")[:limit])
