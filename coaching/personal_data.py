"""A person's data in the coaching app: their files of "Download my data"
(``registry.ACCOUNT_DATA``) and what happens when their account (or profile) is deleted
(``accounts.signals.account_deleting``).
"""

from django.utils import timezone

from accounts.signals import account_deleting
from network_portal import registry

from . import services
from .models import Registration, SeriesMembership


def registrations_release(sender, *, user=None, **kwargs):
    """Receiver: give up the person's coming seats, so each waitlist is promoted as usual.

    The registrations themselves (past attendance too) go with the user row (cascade).
    """
    if user is None:
        return {}
    coming = Registration.objects.filter(
        user=user,
        status__in=[Registration.Status.REGISTERED, Registration.Status.WAITLISTED],
        session__start__gt=timezone.now(),
    ).select_related("session")
    released = 0
    for registration in coming:
        if services.registration_cancel(session=registration.session, user=user, notify=False):
            released += 1
    memberships = SeriesMembership.objects.filter(user=user).count()
    return {
        "coaching.registrations": Registration.objects.filter(user=user).count(),
        "coaching.seats_released": released,
        "coaching.series_memberships": memberships,
    }


def registration_rows(*, user, **kwargs):
    """Download my data: the person's registrations, with the session's title and time."""
    registrations = Registration.objects.filter(user=user).select_related("session")
    return {
        "rows": [
            {
                "session": registration.session.title,
                "start": registration.session.start.isoformat(),
                "status": registration.status,
                "attended": registration.attended,
                "registered_at": registration.created_at.isoformat(),
            }
            for registration in registrations
        ]
    }


def series_membership_rows(*, user, **kwargs):
    """Download my data: the series the person joined."""
    memberships = SeriesMembership.objects.filter(user=user).select_related("series")
    return {
        "rows": [
            {"series": membership.series.title, "joined_at": membership.joined_at.isoformat()}
            for membership in memberships
        ]
    }


def connect():
    account_deleting.connect(registrations_release, dispatch_uid="coaching-registrations")
    registry.register(
        registry.ACCOUNT_DATA,
        name="registrations",
        order=30,
        template="",
        context=registration_rows,
    )
    registry.register(
        registry.ACCOUNT_DATA,
        name="series_memberships",
        order=31,
        template="",
        context=series_membership_rows,
    )
