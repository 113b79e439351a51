"""Emails as a triple of templates (subject, text, HTML), rendered in the recipient's language.

An email that many people receive in the same words (a new fund call, a deadline reminder) is
rendered once per language and time zone by ``SharedRenderings`` and then personalized: the few
values that differ per person (their name, their unsubscribe link, their address) are put into
the rendered text, and into the wire bytes that ``SMTPBackend`` hands to the server as they are.
"""

import functools
import re
import secrets
import smtplib
import zoneinfo
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import smtp
from django.core.mail.message import sanitize_address
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape


def absolute_url(path):
    """A link for an email: emails are sent by Celery, far from any request."""
    return f"{settings.PORTAL_BASE_URL}{path}"


@functools.cache
def _host(base_url):
    return urlsplit(base_url).hostname or "localhost"


def delivery_message_id(delivery):
    """A Message-ID fixed by the delivery row, so an email sent again after a crash carries the
    same one (mail stores that see it twice can drop the copy)."""
    return f"<{delivery._meta.label_lower}.{delivery.pk}@{_host(settings.PORTAL_BASE_URL)}>"


def _zone(time_zone):
    try:
        return zoneinfo.ZoneInfo(time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _render(template, context, *, language, tz, html_context=None):
    """``(subject, text, html)`` of ``templates/email/<template>_…`` in ``language`` and ``tz``."""
    context = {"portal_url": settings.PORTAL_BASE_URL, "recipient_time_zone": tz, **context}
    with translation.override(language or settings.LANGUAGE_CODE), timezone.override(tz):
        subject = render_to_string(f"email/{template}_subject.txt", context)
        text = render_to_string(f"email/{template}_body.txt", context)
        html = render_to_string(f"email/{template}_body.html", {**context, **(html_context or {})})
    return " ".join(subject.split()), text, html


def _message(cls, subject, text, html, *, to, headers, attachments):
    message = cls(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def build_email(
    template, context, *, to, language="en", time_zone="UTC", headers=None, attachments=()
):
    """Render ``templates/email/<template>_{subject.txt,body.txt,body.html}`` for one recipient.

    Dates in the templates come out in ``time_zone`` and strings in ``language``.
    ``attachments`` are ``(filename, content, mimetype)`` triples.
    """
    subject, text, html = _render(template, context, language=language, tz=_zone(time_zone))
    return _message(
        EmailMultiAlternatives,
        subject,
        text,
        html,
        to=to,
        headers=headers,
        attachments=attachments,
    )


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


# ---- One rendering, many recipients ---------------------------------------------------------

# An address the envelope takes as it is: what ``sanitize_address`` would hand back unchanged.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+\Z")
# A header value put into the bytes as it is: one ASCII word, which no folding would split.
_PLAIN_HEADER = re.compile(r"[!-~]+\Z")
# Longer personal values go the usual way, so no line can outgrow RFC 5322's 998 characters.
_MAX_PERSONAL = 300


class _Skeleton:
    """An email rendered once, with a marker wherever a value differs per recipient.

    Body markers carry a non-ASCII character, so the text and HTML parts are encoded 8bit and
    each marker stands in the wire bytes as it is; header markers are plain ASCII words.
    """

    def __init__(self, template, context, *, personal, headers, language, tz, attachments):
        token = secrets.token_hex(6)
        self.text_marks = {name: f"\u27e6t{token}{name}\u27e7" for name in personal}
        self.html_marks = {name: f"\u27e6h{token}{name}\u27e7" for name in personal}
        self.to_mark = f"x{token}to@personal.invalid"
        self.date_mark = f"x{token}date"
        # In the order Django writes them: Date, the Message-ID, then the caller's headers.
        self.header_marks = {"Date": self.date_mark}
        if not any(name.lower() == "message-id" for name in headers):
            self.header_marks["Message-ID"] = f"<x{token}id@personal.invalid>"
        for n, name in enumerate(headers):
            self.header_marks[name] = f"x{token}h{n}x"
        self.subject, self.text, self.html = _render(
            template,
            {**context, **self.text_marks},
            language=language,
            tz=tz,
            html_context=self.html_marks,
        )
        if any(mark in self.subject for mark in self.text_marks.values()):
            raise ValueError(f"email/{template}: a value personal to each recipient in the subject")
        self.attachments = list(attachments)
        self.wire, self.pattern, self.from_email = self._wire()

    def _wire(self):
        """The message as the server gets it, markers in place; None when a marker did not
        survive MIME encoding (a line too long for 8bit): each email is then encoded alone."""
        sample = _message(
            EmailMultiAlternatives,
            self.subject,
            self.text,
            self.html,
            to=self.to_mark,
            headers=self.header_marks,
            attachments=self.attachments,
        )
        wire = sample.message().as_bytes(linesep="\r\n")
        expected = {mark: self.text.count(mark) for mark in self.text_marks.values()}
        expected.update({mark: self.html.count(mark) for mark in self.html_marks.values()})
        expected.update(dict.fromkeys([*self.header_marks.values(), self.to_mark], 1))
        if any(wire.count(mark.encode()) != count for mark, count in expected.items()):
            return None, None, None
        pattern = re.compile(b"|".join(re.escape(mark.encode()) for mark in expected))
        return wire, pattern, sanitize_address(sample.from_email, sample.encoding or "utf-8")

    def personalize(self, personal):
        """``(subject, text, html)`` with the ``personal`` values in place of the markers."""
        text, html = self.text, self.html
        for name, value in personal.items():
            text = text.replace(self.text_marks[name], value)
            html = html.replace(self.html_marks[name], escape(value))
        return self.subject, text, html

    def wire_bytes(self, personal, *, to, headers):
        """One recipient's bytes, or None when a value needs Django's own encoding."""
        if self.wire is None or not _PLAIN_ADDRESS.match(to):
            return None
        values = {
            self.to_mark: to,
            self.date_mark: formatdate(localtime=settings.EMAIL_USE_LOCALTIME),
        }
        if "Message-ID" in self.header_marks and "Message-ID" not in headers:
            values[self.header_marks["Message-ID"]] = make_msgid(domain=DNS_NAME)
        for name, value in headers.items():
            mark = self.header_marks.get(name)
            if mark is None or not _PLAIN_HEADER.match(value):
                return None
            values[mark] = value
        if len(values) != len(self.header_marks) + 1:
            return None  # the headers are not those the skeleton was made with
        for name, value in personal.items():
            if len(value) > _MAX_PERSONAL or "\r" in value or "\n" in value:
                return None
            values[self.text_marks[name]] = value
            values[self.html_marks[name]] = escape(value)
        encoded = {mark.encode(): value.encode() for mark, value in values.items()}
        return self.pattern.sub(lambda match: encoded[match.group()], self.wire)


class PersonalEmail(EmailMultiAlternatives):
    """An email made from a shared rendering; ``SMTPBackend`` sends its bytes as they are.

    Any other backend (the console, the test outbox) sees an ordinary email of the same content.
    """

    skeleton = None
    personal = None

    def wire(self):
        """``(from, recipients, bytes)`` for the SMTP server, or None to encode it as usual.

        None too once the email was changed after it was built: the bytes would not follow.
        """
        skeleton = self.skeleton
        if skeleton is None or len(self.to) != 1 or self.cc or self.bcc or self.reply_to:
            return None
        unchanged = (
            self.subject is skeleton.subject
            and self.body is self._built_text
            and [content for content, _mimetype in self.alternatives] == [self._built_html]
            and len(self.attachments) == len(skeleton.attachments)
            and self.from_email == settings.DEFAULT_FROM_EMAIL
            and self.encoding is None
        )
        if not unchanged:
            return None
        data = skeleton.wire_bytes(self.personal, to=self.to[0], headers=self.extra_headers)
        if data is None:
            return None
        return skeleton.from_email, list(self.to), data


class SharedRenderings:
    """Renders an email once per (template, group, language, time zone), then personalizes it.

    ``group`` names everything in ``context`` and the attachments (say, the call and its last
    change): two emails of one group with the same language and time zone read the same but for
    the ``personal`` values. Those are context variables the body templates print as they are
    (``{{ recipient_name }}``), never in the subject. ``context`` and ``attachments`` may be
    functions, called once per group. Keep one instance for one sending run.
    """

    def __init__(self):
        self._skeletons = {}

    def build_for_user(
        self, template, context, *, user, group, personal=None, headers=None, attachments=()
    ):
        """A ``PersonalEmail`` for ``user``: what ``build_email_for_user`` would build."""
        personal = {"recipient_name": user.get_short_name(), **(personal or {})}
        headers = dict(headers or {})
        tz = _zone(user.time_zone)
        language = user.preferred_language or settings.LANGUAGE_CODE
        key = (template, group, language, tz.key, tuple(personal), tuple(headers))
        skeleton = self._skeletons.get(key)
        if skeleton is None:
            if callable(context):
                context = context()
            if callable(attachments):
                attachments = attachments()
            skeleton = self._skeletons[key] = _Skeleton(
                template,
                context,  # never the user: the rendering is shared with the whole group
                personal=list(personal),
                headers=list(headers),
                language=language,
                tz=tz,
                attachments=attachments,
            )
        subject, text, html = skeleton.personalize(personal)
        message = _message(
            PersonalEmail,
            subject,
            text,
            html,
            to=user.email,
            headers=headers,
            attachments=skeleton.attachments,
        )
        message.skeleton, message.personal = skeleton, personal
        message._built_text, message._built_html = text, html
        return message


class SMTPBackend(smtp.EmailBackend):
    """Django's SMTP backend; a ``PersonalEmail`` goes out as its prepared bytes."""

    def _send(self, email_message):
        wire = getattr(email_message, "wire", None)
        prepared = wire() if wire is not None else None
        if prepared is None:
            return super()._send(email_message)
        from_email, recipients, data = prepared
        try:
            self.connection.sendmail(from_email, recipients, data)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
