"""Emails as a triple of templates (subject, text, HTML), rendered in the recipient's language.

Built with Django's public API (``render_to_string``, ``EmailMultiAlternatives``) and sent by
whatever ``EMAIL_BACKEND`` the settings name; nothing here knows about MIME or SMTP.
"""

import functools
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation


def absolute_url(path):
    """A link for an email: emails are sent by Celery, far from any request."""
    return f"{settings.PORTAL_BASE_URL}{path}"


@functools.cache
def _host(base_url):
    return urlsplit(base_url).hostname or "localhost"


def unsubscribe_headers(url):
    """RFC 2369 and RFC 8058 headers, so mail clients offer a one-click unsubscribe at ``url``."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def delivery_message_id(delivery):
    """A Message-ID fixed by the delivery row, so an email sent again after a crash carries the
    same one (mail stores that see it twice can drop the copy)."""
    return f"<{delivery._meta.label_lower}.{delivery.pk}@{_host(settings.PORTAL_BASE_URL)}>"


def _zone(time_zone):
    try:
        return zoneinfo.ZoneInfo(time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def build_email(
    template, context, *, to, language="en", time_zone="UTC", headers=None, attachments=()
):
    """Render ``templates/email/<template>_{subject.txt,body.txt,body.html}`` for one recipient.

    Dates in the templates come out in ``time_zone`` and strings in ``language``.
    ``attachments`` are ``(filename, content, mimetype)`` triples.
    """
    context = {"portal_url": settings.PORTAL_BASE_URL, **context}
    tz = _zone(time_zone)
    context["recipient_time_zone"] = tz
    with translation.override(language or settings.LANGUAGE_CODE), timezone.override(tz):
        subject = render_to_string(f"email/{template}_subject.txt", context)
        text = render_to_string(f"email/{template}_body.txt", context)
        html = render_to_string(f"email/{template}_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=dict(headers or {}),
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def build_email_for_user(template, context, *, user, **kwargs):
    """``build_email`` addressed to ``user``, in their language and time zone."""
    return build_email(
        template,
        {"recipient": user, "recipient_name": user.get_short_name(), **context},
        to=user.email,
        language=user.preferred_language,
        time_zone=user.time_zone,
        **kwargs,
    )
