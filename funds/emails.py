"""The emails of the funds app, built for one recipient at sending time (or None if not owed)."""

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from network_portal.emails import absolute_url, build_email_for_user

from .calendars import fundcall_calendar
from .models import Follow, FundCallDelivery
from .tokens import unsubscribe_token

Kind = FundCallDelivery.Kind


def _active_alert(user):
    try:
        alert = user.fund_alert
    except ObjectDoesNotExist:
        return None
    return alert if alert is not None and alert.is_active else None


def unsubscribe_url(alert):
    return absolute_url(reverse("funds:unsubscribe", args=[unsubscribe_token(alert)]))


def alert_headers(url):
    """RFC 2369 and RFC 8058 headers, so mail clients offer a one-click unsubscribe."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _call_context(call):
    return {
        "call": call,
        "call_url": absolute_url(call.get_absolute_url()),
        "alerts_url": absolute_url(reverse("funds:alerts")),
    }


def fundcall_message(row):
    """The email a ``FundCallDelivery`` owes, or None when it is no longer owed."""
    user, call = row.user, row.call
    if not user.is_active or not user.email:
        return None
    context = _call_context(call)
    if row.kind == Kind.SUGGESTION_PUBLISHED:
        return build_email_for_user("fund_suggestion_published", context, user=user)
    if row.kind == Kind.SUGGESTION_REJECTED:
        return build_email_for_user("fund_suggestion_rejected", context, user=user)
    alert = _active_alert(user)
    if alert is None or not call.is_open():
        return None
    context["unsubscribe_url"] = unsubscribe_url(alert)
    headers = alert_headers(context["unsubscribe_url"])
    if row.kind == Kind.NEW_CALL:
        return build_email_for_user("fund_new_call", context, user=user, headers=headers)
    # A reminder: still owed only to a follower, or to whoever asked for all matching calls.
    if not alert.remind_matching and not Follow.objects.filter(user=user, call=call).exists():
        return None
    context["days"] = int(row.kind.rsplit("-", 1)[1])
    context["days_left"] = call.days_left()
    attachment = (f"fund-call-{call.pk}.ics", fundcall_calendar([call]), "text/calendar")
    return build_email_for_user(
        "fund_reminder", context, user=user, headers=headers, attachments=[attachment]
    )


def digest_message(row):
    """The weekly digest a ``FundDigestDelivery`` owes, or None when nothing is left in it."""
    from .services import digest_calls

    user = row.user
    alert = _active_alert(user)
    if alert is None or not user.is_active or not user.email:
        return None
    calls = [
        {"call": call, "url": absolute_url(call.get_absolute_url())}
        for call in digest_calls(alert, row.week)
    ]
    if not calls:
        return None
    url = unsubscribe_url(alert)
    context = {
        "calls": calls,
        "week": row.week,
        "unsubscribe_url": url,
        "alerts_url": absolute_url(reverse("funds:alerts")),
        "list_url": absolute_url(reverse("funds:list")),
    }
    return build_email_for_user("fund_digest", context, user=user, headers=alert_headers(url))
