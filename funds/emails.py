"""The emails of the funds app, built for one recipient at sending time (or None if not owed).

New-call alerts and deadline reminders go to many people in the same words: given a
``SharedRenderings``, they are rendered once per language and time zone and then personalized.
"""

import functools

from django.core.exceptions import ObjectDoesNotExist
from django.urls import get_script_prefix, get_urlconf, reverse

from network_portal.emails import absolute_url, build_email_for_user, delivery_message_id

from .calendars import fundcall_calendar
from .models import Follow, FundCallDelivery
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


@functools.lru_cache(maxsize=8)
def _unsubscribe_path(urlconf, script_prefix):
    """The unsubscribe path around its token, reversed once: ``reverse`` costs four times the
    token, and a token (URL-safe base64 and colons) is never quoted by it."""
    before, after = reverse("funds:unsubscribe", args=["TOKEN"], urlconf=urlconf).split("TOKEN")
    return before, after


def unsubscribe_url(alert):
    before, after = _unsubscribe_path(get_urlconf(), get_script_prefix())
    return absolute_url(f"{before}{unsubscribe_token(alert)}{after}")


def alert_headers(url):
    """RFC 2369 and RFC 8058 headers, so mail clients offer a one-click unsubscribe."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _call_context(call):
    return {
        "call": call,
        "call_url": absolute_url(call.get_absolute_url()),
        "alerts_url": absolute_url(reverse("funds:alerts")),
    }


def _build(template, context, *, row, renderings, group, personal, headers, attachments=()):
    """One alert or reminder: from a shared rendering if there is one, else rendered alone.

    ``context`` and ``attachments`` are functions: a shared rendering calls them once per group.
    """
    if renderings is not None:
        return renderings.build_for_user(
            template,
            context,
            user=row.user,
            group=group,
            personal=personal,
            headers=headers,
            attachments=attachments,
        )
    return build_email_for_user(
        template,
        {**context(), **personal},
        user=row.user,
        headers=headers,
        attachments=attachments() if callable(attachments) else attachments,
    )


def fundcall_message(row, *, renderings=None):
    """The email a ``FundCallDelivery`` owes, or None when it is no longer owed.

    With ``renderings`` (a ``SharedRenderings``), alerts and reminders share their rendering
    with everyone of the same language and time zone.
    """
    user, call = row.user, row.call
    if not user.is_active or not user.email:
        return None
    headers = {"Message-ID": delivery_message_id(row)}
    if row.kind in SUGGESTION_TEMPLATES:
        template = SUGGESTION_TEMPLATES[row.kind]
        return build_email_for_user(template, _call_context(call), user=user, headers=headers)
    alert = _active_alert(user)
    if alert is None or not call.is_open():
        return None
    url = unsubscribe_url(alert)
    headers.update(alert_headers(url))
    personal = {"unsubscribe_url": url}
    group = (call.pk, call.updated_at)
    if row.kind == Kind.NEW_CALL:
        return _build(
            "fund_new_call",
            lambda: _call_context(call),
            row=row,
            renderings=renderings,
            group=group,
            personal=personal,
            headers=headers,
        )
    # A reminder: still owed only to a follower, or to whoever asked for all matching calls.
    if not alert.remind_matching and not Follow.objects.filter(user=user, call=call).exists():
        return None
    days, days_left = int(row.kind.rsplit("-", 1)[1]), call.days_left()
    return _build(
        "fund_reminder",
        lambda: {**_call_context(call), "days": days, "days_left": days_left},
        row=row,
        renderings=renderings,
        group=(*group, days, days_left),
        personal=personal,
        headers=headers,
        attachments=lambda: [
            (f"fund-call-{call.pk}.ics", fundcall_calendar([call]), "text/calendar")
        ],
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
    headers = {"Message-ID": delivery_message_id(row), **alert_headers(url)}
    return build_email_for_user("fund_digest", context, user=user, headers=headers)
