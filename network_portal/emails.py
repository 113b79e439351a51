"""Emails as a triple of templates (subject, text, HTML), rendered in the recipient's language."""

import zoneinfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation


def absolute_url(path):
    """A link for an email: emails are sent by Celery, far from any request."""
    return f"{settings.PORTAL_BASE_URL}{path}"


def build_email(
    template, context, *, to, language="en", time_zone="UTC", headers=None, attachments=()
):
    """Render ``templates/email/<template>_{subject.txt,body.txt,body.html}`` for one recipient.

    Dates in the templates come out in ``time_zone`` and strings in ``language``.
    ``attachments`` are ``(filename, content, mimetype)`` triples.
    """
    try:
        tz = zoneinfo.ZoneInfo(time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    context = {"portal_url": settings.PORTAL_BASE_URL, "recipient_time_zone": tz, **context}
    with translation.override(language or settings.LANGUAGE_CODE), timezone.override(tz):
        subject = render_to_string(f"email/{template}_subject.txt", context)
        text = render_to_string(f"email/{template}_body.txt", context)
        html = render_to_string(f"email/{template}_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def build_email_for_user(template, context, *, user, **kwargs):
    """``build_email`` addressed to ``user``, in their language and time zone."""
    return build_email(
        template,
        {"recipient": user, **context},
        to=user.email,
        language=user.preferred_language,
        time_zone=user.time_zone,
        **kwargs,
    )
