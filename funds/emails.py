"""The emails of the funds app, built for one recipient at sending time (or None if not owed)."""

import datetime
import math

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone

from network_portal.emails import absolute_url, build_email_for_user, unsubscribe_headers

from .calendars import fundcall_calendar
from .models import REMINDER_DAYS, Follow, FundCallDelivery
from .tokens import unsubscribe_token

Kind = FundCallDelivery.Kind
SUGGESTION_TEMPLATES = {
    Kind.SUGGESTION_PUBLISHED: "fund_suggestion_published",
    Kind.SUGGESTION_REJECTED: "fund_suggestion_rejected",
}


def _active_alert(user):
    try:
        alert = user.fund_alert
    except ObjectDoesNotExist:
        return None
    return alert if alert is not None and alert.is_active else None


def unsubscribe_url(alert):
    return absolute_url(reverse("funds:unsubscribe", args=[unsubscribe_token(alert)]))


def _call_context(call):
    return {
        "call": call,
        "call_url": absolute_url(call.get_absolute_url()),
        "alerts_url": absolute_url(reverse("funds:alerts")),
    }


def days_left(call, *, now=None):
    """Days until the deadline, counting a started day as one (23 hours left: 1 day)."""
    remaining = call.deadline - (now or timezone.now())
    return max(math.ceil(remaining / datetime.timedelta(days=1)), 0)


def _reminder_superseded(row):
    """A reminder that goes out late, when a nearer one is owed too: only the nearest is sent."""
    days = int(row.kind.rsplit("-", 1)[1])
    nearer = [FundCallDelivery.reminder_kind(n) for n in REMINDER_DAYS if n < days]
    return FundCallDelivery.objects.filter(
        user_id=row.user_id, call_id=row.call_id, kind__in=nearer
    ).exists()


def fundcall_message(row):
    """The email a ``FundCallDelivery`` owes, or None when it is no longer owed."""
    user, call = row.user, row.call
    if not user.is_active or not user.email:
        return None
    if row.kind in SUGGESTION_TEMPLATES:
        template = SUGGESTION_TEMPLATES[row.kind]
        return build_email_for_user(template, _call_context(call), user=user)
    alert = _active_alert(user)
    if alert is None or not call.is_open():
        return None
    url = unsubscribe_url(alert)
    context = {**_call_context(call), "unsubscribe_url": url}
    if row.kind == Kind.NEW_CALL:
        return build_email_for_user(
            "fund_new_call", context, user=user, headers=unsubscribe_headers(url)
        )
    # A reminder: still owed only to a follower, or to whoever asked for all matching calls.
    if not alert.remind_matching and not Follow.objects.filter(user=user, call=call).exists():
        return None
    if _reminder_superseded(row):
        return None
    return build_email_for_user(
        "fund_reminder",
        {**context, "days_left": days_left(call)},
        user=user,
        headers=unsubscribe_headers(url),
        attachments=[(f"fund-call-{call.pk}.ics", fundcall_calendar([call]), "text/calendar")],
    )
