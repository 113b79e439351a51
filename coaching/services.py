"""Writes of the coaching app: registrations, session changes, series, reminders, feeds.

Every function that decides a seat locks the session row first (``select_for_update``), so two
people taking the last seat at once are served one after the other and never overbook.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from network_portal import delivery

from . import emails
from .models import (
    MANAGE_EVERY_SESSION,
    CalendarFeed,
    CoachingSession,
    Registration,
    SeriesMembership,
    SessionNotice,
    SessionReminder,
    SessionSeries,
    new_feed_token,
)

logger = logging.getLogger(__name__)

# When each reminder is due before the start; a reminder is only owed before the next one is.
REMINDER_OFFSETS = {
    SessionReminder.Kind.DAY_BEFORE: datetime.timedelta(hours=24),
    SessionReminder.Kind.HOUR_BEFORE: datetime.timedelta(hours=1),
}
# Changes that calendars and participants must hear about (RFC 5546 "significant" changes).
SIGNIFICANT_FIELDS = ("title", "start", "end", "place", "online_link", "time_zone")
ANNOUNCED_FIELDS = ("start", "end", "place", "online_link")
SERIES_HORIZON = datetime.timedelta(weeks=12)
SERIES_COPIED_FIELDS = (
    "title",
    "kind",
    "description",
    "language_id",
    "time_zone",
    "online_link",
    "place",
    "capacity",
)


def _locked(session):
    return CoachingSession.objects.select_for_update().get(pk=session.pk)


def _send_notices_after_commit():
    from .tasks import send_session_notices

    # Robust: the rows are saved; if the broker is down, the next beat round sends them.
    transaction.on_commit(send_session_notices.delay, robust=True)


def _registered_count(session):
    return session.registrations.filter(status=Registration.Status.REGISTERED).count()


def registration_create(*, session, user, confirm=True):
    """Give ``user`` a seat, or a place at the end of the waitlist when the session is full.

    Idempotent: a person already registered or waitlisted keeps their place (and is sent
    nothing more). With ``confirm``, a new seat or waitlist place owes one confirmation email,
    a delivery row sent after commit: a seat's carries the calendar invitation (iTIP REQUEST).
    Raises ``ValidationError`` when the session is cancelled or has started.
    """
    with transaction.atomic():
        session = _locked(session)
        if session.is_cancelled:
            raise ValidationError(_("This session was cancelled."))
        if session.has_started:
            raise ValidationError(_("This session has already started."))
        registration, _created = Registration.objects.get_or_create(
            session=session,
            user=user,
            defaults={"status": Registration.Status.CANCELLED},
        )
        if registration.is_active:
            return registration
        full = _registered_count(session) >= session.capacity
        registration.status = (
            Registration.Status.WAITLISTED if full else Registration.Status.REGISTERED
        )
        registration.queued_at = timezone.now()
        registration.revision += 1
        registration.save(update_fields=["status", "queued_at", "revision", "updated_at"])
        if confirm:
            _notify_registration(registration, SessionNotice.Kind.REGISTERED)
    return registration


def _notify_registration(registration, kind):
    """Owe ``registration``'s person one email about its latest change (``revision``)."""
    SessionNotice.objects.bulk_create(
        [SessionNotice(registration=registration, kind=kind, version=registration.revision)],
        ignore_conflicts=True,
    )
    _send_notices_after_commit()


def registration_cancel(*, session, user, notify=True):
    """Give up ``user``'s seat or waitlist place; the first on the waitlist gets a freed seat.

    Returns the registration, or None when there was nothing to cancel. Someone who gave up a
    seat is sent one email with a calendar CANCEL (iTIP), so the event leaves their calendar
    (unless ``notify`` is false: leaving a series); the promoted person is emailed too; both
    after commit. Raises ``ValidationError`` once the
    session has started.
    """
    with transaction.atomic():
        session = _locked(session)
        registration = (
            Registration.objects.filter(session=session, user=user).select_for_update().first()
        )
        if registration is None or not registration.is_active:
            return None
        if session.has_started:
            raise ValidationError(_("This session has already started."))
        held_seat = registration.status == Registration.Status.REGISTERED
        registration.status = Registration.Status.CANCELLED
        registration.revision += 1
        registration.save(update_fields=["status", "revision", "updated_at"])
        if held_seat and notify:
            _notify_registration(registration, SessionNotice.Kind.LEFT)
        waitlist_promote(session=session)
    return registration


def waitlist_promote(*, session):
    """Fill free seats from the waitlist, first come first served; returns the promoted.

    Call inside the transaction that holds the session's lock. Each promoted person gets one
    email, after commit.
    """
    if session.is_cancelled or session.has_started:
        return []
    free = session.capacity - _registered_count(session)
    if free <= 0:
        return []
    promoted = list(
        session.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
            "queued_at", "pk"
        )[:free]
    )
    for registration in promoted:
        registration.status = Registration.Status.REGISTERED
        registration.revision += 1
        registration.save(update_fields=["status", "revision", "updated_at"])
    SessionNotice.objects.bulk_create(
        [
            SessionNotice(
                registration=registration,
                kind=SessionNotice.Kind.PROMOTED,
                version=registration.revision,
            )
            for registration in promoted
        ],
        ignore_conflicts=True,
    )
    if promoted:
        _send_notices_after_commit()
    return promoted


def _notify_participants(session, kind):
    active = session.registrations.filter(
        status__in=[Registration.Status.REGISTERED, Registration.Status.WAITLISTED]
    )
    SessionNotice.objects.bulk_create(
        [
            SessionNotice(registration=registration, kind=kind, version=session.sequence)
            for registration in active
        ],
        ignore_conflicts=True,
    )
    _send_notices_after_commit()


def session_save(*, session):
    """Save a session edited by a host or in the admin.

    A change to its time, place, link or title raises its ``sequence``; a change of time, place
    or link emails everyone registered or waitlisted (after commit). More seats promote people
    from the waitlist. Returns the names of the announced fields that changed.
    """
    with transaction.atomic():
        if session.pk is None:
            session.save()
            return []
        before = _locked(session)
        changed = [
            name for name in SIGNIFICANT_FIELDS if getattr(before, name) != getattr(session, name)
        ]
        session.status = before.status
        session.sequence = before.sequence + (1 if changed else 0)
        session.save()
        announced = [field for field in changed if field in ANNOUNCED_FIELDS]
        if announced and not session.is_cancelled:
            _notify_participants(session, SessionNotice.Kind.UPDATED)
        if session.capacity > before.capacity:
            waitlist_promote(session=session)
    return announced


def _hosts_with_creator(*, creator, hosts):
    """The hosts of what ``creator`` makes: the one rule, for sessions and series alike.

    The creator hosts it (if they have a profile), so that a Core Group facilitator can manage
    what they made; only those who manage every session (ILO staff) may name others instead.
    """
    hosts = list(hosts)
    if hosts and creator.has_perm(MANAGE_EVERY_SESSION):
        return hosts
    member = Member.objects.filter(owner=creator).first()
    if member is not None and member not in hosts:
        hosts.append(member)
    return hosts


def session_create(*, session, creator, hosts=(), categories=()):
    """Save the new ``session`` with its ``categories`` and its hosts; returns it.

    Its creator is among its hosts, unless they manage every session and named ``hosts``
    (``_hosts_with_creator``). Atomic; sends nothing (nobody is registered yet). Called by the
    site's form and by the admin.
    """
    with transaction.atomic():
        session.save()
        session.categories.set(categories)
        session.hosts.set(_hosts_with_creator(creator=creator, hosts=hosts))
    return session


def series_create(*, series, creator, hosts=(), categories=()):
    """Save the new ``series`` with its categories and hosts, and make its coming sessions.

    The hosts follow the rule of ``session_create``; the sessions copy them. Atomic. Returns
    the sessions made.
    """
    with transaction.atomic():
        series.save()
        series.categories.set(categories)
        series.hosts.set(_hosts_with_creator(creator=creator, hosts=hosts))
        return series_generate_sessions(series=series)


def session_cancel(*, session):
    """Cancel a session and email everyone registered or waitlisted, with a calendar CANCEL.

    Idempotent: cancelling a cancelled session changes nothing and sends nothing.
    """
    with transaction.atomic():
        session = _locked(session)
        if session.is_cancelled:
            return session
        session.status = CoachingSession.Status.CANCELLED
        session.sequence += 1
        session.save(update_fields=["status", "sequence", "updated_at"])
        _notify_participants(session, SessionNotice.Kind.CANCELLED)
    return session


def series_generate_sessions(*, series, now=None, horizon=SERIES_HORIZON):
    """Create the series' coming occurrences starting within ``horizon``; returns the new ones.

    Each occurrence is made once: one a host moved, cancelled or deleted is not made again, and
    none is made where a session of the series already starts. After a change of rule, sessions
    already made keep their time, and the first new one comes at least one interval (less a day)
    after the latest occurrence made. Idempotent: the series row is locked while generating, and
    the database allows one session per series and occurrence. Each occurrence copies the
    series' hosts and categories.
    """
    now = now or timezone.now()
    with transaction.atomic():
        series = SessionSeries.objects.select_for_update().get(pk=series.pk)
        if not series.is_active:
            return []
        starts = series.occurrence_starts(after=now, before=now + horizon)
        latest = series.sessions.aggregate(latest=Max("occurrence_start"))["latest"]
        if latest is not None:
            # Less a day, for summer time; a rule moved to another weekday skips a period served.
            spacing = datetime.timedelta(weeks=series.interval) - datetime.timedelta(days=1)
            starts = [start for start in starts if start >= latest + spacing]
        taken = set()
        for pair in series.sessions.filter(
            Q(occurrence_start__in=starts) | Q(start__in=starts)
        ).values_list("occurrence_start", "start"):
            taken.update(pair)
        created = [
            CoachingSession(
                series=series,
                occurrence_start=start,
                start=start,
                end=start + series.duration,
                **{field: getattr(series, field) for field in SERIES_COPIED_FIELDS},
            )
            for start in starts
            if start not in taken
        ]
        if not created:
            return []
        created = CoachingSession.objects.bulk_create(created)
        host_ids = list(series.hosts.values_list("pk", flat=True))
        category_ids = list(series.categories.values_list("pk", flat=True))
        CoachingSession.hosts.through.objects.bulk_create(
            [
                CoachingSession.hosts.through(coachingsession_id=session.pk, member_id=host_id)
                for session in created
                for host_id in host_ids
            ]
        )
        CoachingSession.categories.through.objects.bulk_create(
            [
                CoachingSession.categories.through(
                    coachingsession_id=session.pk, category_id=category_id
                )
                for session in created
                for category_id in category_ids
            ]
        )
        for membership in series.memberships.select_related("user"):
            for session in created:
                registration_create(session=session, user=membership.user, confirm=False)
    return created


def series_coming_sessions(series, *, now=None):
    """The series' scheduled occurrences that have not started, soonest first."""
    return series.sessions.scheduled().filter(start__gt=now or timezone.now()).order_by("start")


def series_join(*, series, user):
    """Join ``series``: a seat, or a waitlist place when full, in each coming occurrence.

    Each occurrence keeps its own capacity and waitlist (``registration_create``); occurrences
    made later register the series' members too. Idempotent (one membership per person and
    series, in the database). Sends no email per occurrence: the joined occurrences are in the
    person's calendar feed with their reminders, and the page lists them. Atomic. Returns the
    membership and the registrations in the coming occurrences.
    """
    with transaction.atomic():
        series = SessionSeries.objects.select_for_update().get(pk=series.pk)
        membership, _created = SeriesMembership.objects.get_or_create(series=series, user=user)
        registrations = [
            registration_create(session=session, user=user, confirm=False)
            for session in series_coming_sessions(series)
        ]
    return membership, registrations


def series_leave(*, series, user):
    """Leave ``series`` in one action: give up every coming seat and waitlist place.

    Each freed seat goes to that occurrence's waitlist as today (the promoted are emailed);
    the leaver is sent nothing per occurrence. Atomic. Returns how many occurrences were left.
    """
    with transaction.atomic():
        series = SessionSeries.objects.select_for_update().get(pk=series.pk)
        SeriesMembership.objects.filter(series=series, user=user).delete()
        left = [
            registration_cancel(session=session, user=user, notify=False)
            for session in series_coming_sessions(series)
        ]
    return sum(1 for registration in left if registration is not None)


def series_generate_all(*, now=None):
    """Generate ahead for every active series; returns how many sessions were created."""
    return sum(
        len(series_generate_sessions(series=series, now=now))
        for series in SessionSeries.objects.filter(is_active=True)
    )


def reminders_create_due(*, now=None):
    """Create the reminder rows that are due now; returns how many were new.

    A registration is owed the 24-hour reminder from 24 hours before the start until 1 hour
    before, and the 1-hour reminder from then until the start; someone who registered after a
    reminder fell due is not sent it. Idempotent: existing rows are skipped, and the unique
    constraint absorbs a concurrent run.
    """
    now = now or timezone.now()
    created = 0
    day, hour = SessionReminder.Kind.DAY_BEFORE, REMINDER_OFFSETS[SessionReminder.Kind.HOUR_BEFORE]
    windows = {
        SessionReminder.Kind.DAY_BEFORE: (now + hour, now + REMINDER_OFFSETS[day]),
        SessionReminder.Kind.HOUR_BEFORE: (now, now + hour),
    }
    for kind, (after, until) in windows.items():
        already = SessionReminder.objects.filter(
            registration=OuterRef("pk"), kind=kind, session_start=OuterRef("session__start")
        )
        owed = (
            Registration.objects.filter(
                status=Registration.Status.REGISTERED,
                session__status=CoachingSession.Status.SCHEDULED,
                session__start__gt=after,
                session__start__lte=until,
                queued_at__lt=F("session__start") - REMINDER_OFFSETS[kind],
            )
            .exclude(Exists(already))
            .values_list("pk", "session__start")
        )
        rows = [
            SessionReminder(
                registration_id=registration_id,
                kind=kind,
                session_start=start,
                due_at=start - REMINDER_OFFSETS[kind],
            )
            for registration_id, start in owed.iterator(chunk_size=2000)
        ]
        SessionReminder.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        created += len(rows)
    return created


def reminders_send(*, now=None, limit=delivery.CHUNK_SIZE):
    """Create the due reminders, then send each pending one exactly once; returns how many went.

    Safe to run every minute and in several workers at once (claims skip locked rows).
    """
    reminders_create_due(now=now)
    return delivery.deliver(
        SessionReminder.objects.all(),
        emails.reminder_message,
        limit=limit,
        select_related=("registration__session", "registration__user"),
    )


def notices_send(*, limit=delivery.CHUNK_SIZE):
    """Send each pending change, cancellation and promotion email exactly once."""
    return delivery.deliver(
        SessionNotice.objects.all(),
        emails.notice_message,
        limit=limit,
        select_related=("registration__session", "registration__user"),
    )


def calendar_feed_get(*, user):
    """The person's calendar feed, created on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(*, user):
    """Give the feed a new secret address; the old one answers 404 from now on."""
    feed = calendar_feed_get(user=user)
    feed.token = new_feed_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed
