"""What pages of lower apps show of coaching: a category's and a fund call's coming sessions.

Categories and funds sit below coaching and cannot import it (DESIGN.md); their templates
include ``coaching/_category_sessions.html`` and ``coaching/_fund_call_sessions.html``, which
load these tags. One query each, whatever the number of sessions.
"""

from django import template

from ..models import CoachingSession

register = template.Library()


@register.simple_tag
def upcoming_sessions_in(category, limit=5):
    """The next scheduled sessions of ``category``, soonest first."""
    return list(CoachingSession.objects.scheduled().upcoming().in_category(category)[:limit])


@register.simple_tag
def upcoming_sessions_for_call(call, limit=5):
    """The next scheduled sessions that prepare a submission to the fund call ``call``."""
    sessions = CoachingSession.objects.scheduled().upcoming().filter(fund_call=call)
    return list(sessions.select_related("language")[:limit])
