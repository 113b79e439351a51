"""The weekly email, built for one recipient at sending time from every app's sections."""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from network_portal import registry
from network_portal.emails import absolute_url, build_email_for_user, unsubscribe_headers

from . import periods
from .tokens import unsubscribe_token

BLANK_LINES = re.compile(r"\n\s*\n")  # a section's text: one blank line between its items
# Upcoming sessions and deadlines: at least this far ahead, or up to the next email.
LOOK_AHEAD = datetime.timedelta(days=14)


def unsubscribe_url(setting):
    return absolute_url(reverse("weekly:unsubscribe", args=[unsubscribe_token(setting)]))


def section_arguments(user, *, since, until):
    """What each section's context function gets (keyword-only; they accept ``**kwargs``):
    the recipient, the window of news ``[since, until)``, ``horizon`` for what is coming up
    (``[until, horizon)``) and the recipient's ``language``."""
    return {
        "user": user,
        "since": since,
        "until": until,
        "horizon": until + max(until - since, LOOK_AHEAD),
        "language": user.preferred_language,
    }


def sections_for(user, *, since, until):
    """The sections that have something for ``user``: ``[(html, text)]``, in the recipient's
    language and time zone; [] when every section is empty."""
    arguments = section_arguments(user, since=since, until=until)
    zone = periods.zone_for(user.time_zone)
    # What every email template may use (network_portal.emails.build_email gives the same).
    common = {"portal_url": settings.PORTAL_BASE_URL, "recipient_time_zone": zone}
    sections = []
    with translation.override(user.preferred_language), timezone.override(zone):
        for part, context in registry.collect(registry.WEEKLY_EMAIL_SECTIONS, **arguments):
            context = {**common, **context}
            html = render_to_string(part.template, context)
            text = render_to_string(part.text_template, context)
            sections.append((html, BLANK_LINES.sub("\n\n", text).strip()))
    return sections


def weekly_message(row):
    """The email a ``WeeklyEmailDelivery`` owes, or None: unsubscribed, or nothing to say."""
    user = row.user
    try:
        setting = user.weekly_email
    except ObjectDoesNotExist:
        return None
    if not setting.is_subscribed or not user.is_active or not user.email:
        return None
    sections = sections_for(user, since=row.since, until=row.until)
    if not sections:
        return None
    url = unsubscribe_url(setting)
    context = {
        "setting": setting,
        "sections": sections,
        "since": row.since,
        "until": row.until,
        "settings_url": absolute_url(reverse("weekly:settings")),
        "unsubscribe_url": url,
    }
    return build_email_for_user(
        "weekly_email", context, user=user, headers=unsubscribe_headers(url)
    )
