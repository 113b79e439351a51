"""The emails of the coaching app, each built for one delivery row, or None when no longer owed."""

from django.utils import timezone, translation

from network_portal.emails import absolute_url, build_email_for_user

from .calendars import invitation
from .models import SessionNotice

HEADERS = {"Auto-Submitted": "auto-generated"}


def _context(session, registration):
    return {
        "session": session,
        "registration": registration,
        "is_registered": registration.status == registration.Status.REGISTERED,
        "session_url": absolute_url(session.get_absolute_url()),
        "calendar_url": absolute_url(f"{session.get_absolute_url()}calendar.ics"),
    }


def reminder_message(reminder):
    """The 24-hour or 1-hour reminder; None once the seat, the session or its time has gone."""
    registration = reminder.registration
    session = registration.session
    if (
        registration.status != registration.Status.REGISTERED
        or session.is_cancelled
        or session.start != reminder.session_start
        or session.start <= timezone.now()
    ):
        return None
    return build_email_for_user(
        "session_reminder",
        {**_context(session, registration), "kind": reminder.kind},
        user=registration.user,
        headers=HEADERS,
    )


def notice_message(notice):
    """A change, a cancellation, a promotion, a confirmation or a seat given up; seat holders
    get an iTIP invitation (REQUEST), someone who gave up their seat its CANCEL."""
    registration = notice.registration
    session = registration.session
    user = registration.user
    holds_seat = registration.status == registration.Status.REGISTERED
    # A confirmation or a seat given up is owed while it is the registration's latest change.
    latest = notice.version == registration.revision
    if notice.kind == SessionNotice.Kind.CANCELLED:
        owed = session.is_cancelled
    elif notice.kind == SessionNotice.Kind.REGISTERED:
        owed = latest and registration.is_active and not session.is_cancelled
        owed = owed and not session.has_started
    elif notice.kind == SessionNotice.Kind.LEFT:
        owed = latest and not registration.is_active and not session.is_cancelled
        owed = owed and not session.is_over
    elif notice.kind == SessionNotice.Kind.UPDATED:
        # A later change supersedes this one: only the latest state is announced.
        owed = (
            notice.version == session.sequence
            and not session.is_cancelled
            and registration.is_active
            and not session.is_over
        )
    else:
        owed = holds_seat and not session.is_cancelled and not session.has_started
    if not owed:
        return None
    message = build_email_for_user(
        f"session_{notice.kind}",
        _context(session, registration),
        user=user,
        headers=HEADERS,
    )
    left = notice.kind == SessionNotice.Kind.LEFT
    if holds_seat or left:
        with translation.override(user.preferred_language):
            cancel = session.is_cancelled or left
            message.attach(invitation(session, attendee=user, cancel=cancel))
    return message
