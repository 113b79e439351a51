"""Joining a whole coaching series, and leaving it in one action."""

import datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from coaching import calendars, services
from coaching.models import Registration, SeriesMembership, SessionNotice, SessionReminder

from ..factories import UserFactory
from .factories import RegistrationFactory, SessionSeriesFactory

pytestmark = pytest.mark.django_db


def _series_with_sessions(count=3, capacity=2):
    """A fortnightly series whose first occurrence is in a few days, with ``count`` made."""
    now = timezone.now()
    series = SessionSeriesFactory(
        time_zone="UTC",
        capacity=capacity,
        starts_on=(now + datetime.timedelta(days=3)).date(),
        weekday=(now + datetime.timedelta(days=3)).weekday(),
    )
    services.series_generate_sessions(
        series=series, now=now, horizon=datetime.timedelta(weeks=2 * count - 1)
    )
    sessions = list(series.sessions.order_by("start"))
    assert len(sessions) == count
    return series, sessions


def _status(session, user):
    registration = Registration.objects.filter(session=session, user=user).first()
    return registration.status if registration else None


def test_joining_gives_a_seat_in_each_occurrence_and_a_full_one_its_waitlist(innovator):
    series, (first, second, third) = _series_with_sessions(capacity=1)
    RegistrationFactory(session=second)  # someone took the only seat of the second

    membership, registrations = services.series_join(series=series, user=innovator)

    assert membership.series == series
    assert len(registrations) == 3
    assert _status(first, innovator) == Registration.Status.REGISTERED
    assert _status(second, innovator) == Registration.Status.WAITLISTED
    assert _status(third, innovator) == Registration.Status.REGISTERED
    # One email per occurrence would be noise: joining sends none (the feed has them all).
    assert not SessionNotice.objects.filter(registration__user=innovator).exists()


def test_joining_twice_keeps_one_membership_and_the_database_refuses_a_second(innovator):
    series, _sessions = _series_with_sessions()
    services.series_join(series=series, user=innovator)
    services.series_join(series=series, user=innovator)

    assert SeriesMembership.objects.filter(series=series, user=innovator).count() == 1
    assert Registration.objects.filter(user=innovator).count() == 3
    with pytest.raises(IntegrityError):
        SeriesMembership.objects.create(series=series, user=innovator)


def test_leaving_frees_every_seat_and_the_waitlist_of_a_full_one_is_promoted(innovator):
    series, (first, second, _third) = _series_with_sessions(capacity=1)
    services.series_join(series=series, user=innovator)
    waiting = UserFactory()
    services.registration_create(session=first, user=waiting, confirm=False)

    left = services.series_leave(series=series, user=innovator)

    assert left == 3
    assert not SeriesMembership.objects.filter(series=series).exists()
    assert not Registration.objects.filter(user=innovator).exclude(status="cancelled").exists()
    assert _status(first, waiting) == Registration.Status.REGISTERED
    promoted = SessionNotice.objects.get(registration__user=waiting)
    assert promoted.kind == SessionNotice.Kind.PROMOTED
    # The leaver is not sent one cancellation per occurrence.
    assert not SessionNotice.objects.filter(registration__user=innovator).exists()
    assert _status(second, innovator) == Registration.Status.CANCELLED


def test_occurrences_made_later_include_those_who_joined(innovator):
    series, _sessions = _series_with_sessions(count=2)
    services.series_join(series=series, user=innovator)

    later = services.series_generate_sessions(
        series=series, now=timezone.now(), horizon=datetime.timedelta(weeks=7)
    )

    assert later
    assert all(_status(session, innovator) == "registered" for session in later)
    assert Registration.objects.filter(user=innovator, status="registered").count() == 4


def test_each_joined_occurrence_is_one_entry_in_the_personal_feed(client_for, innovator):
    series, sessions = _series_with_sessions()
    services.series_join(series=series, user=innovator)
    feed = services.calendar_feed_get(user=innovator)

    body = client_for(None).get(feed.get_absolute_url()).content.decode()

    body = body.replace("\r\n ", "")  # unfold long lines
    for session in sessions:
        assert body.count(f"UID:{calendars.session_uid(session)}") == 1


def test_the_occurrence_page_offers_join_then_leave(client_for, innovator):
    series, (first, *_rest) = _series_with_sessions()
    client = client_for(innovator)

    page = client.get(first.get_absolute_url()).content.decode()
    assert reverse("coaching:series_join", args=[series.pk]) in page

    response = client.post(
        reverse("coaching:series_join", args=[series.pk]), {"next": first.get_absolute_url()}
    )
    assert response.status_code == 302
    assert response.url == first.get_absolute_url()
    page = client.get(first.get_absolute_url()).content.decode()
    assert reverse("coaching:series_leave", args=[series.pk]) in page
    assert Registration.objects.filter(user=innovator, status="registered").count() == 3

    client.post(reverse("coaching:series_leave", args=[series.pk]))
    assert not Registration.objects.filter(user=innovator, status="registered").exists()


def test_a_visitor_cannot_join_and_a_get_changes_nothing(client_for, visitor, innovator):
    series, _sessions = _series_with_sessions()
    url = reverse("coaching:series_join", args=[series.pk])

    assert visitor.post(url).status_code == 302
    assert client_for(innovator).get(url).status_code == 405
    assert not SeriesMembership.objects.exists()


def test_each_joined_occurrence_has_its_own_reminders(innovator):
    series, (first, second, _third) = _series_with_sessions()
    services.series_join(series=series, user=innovator)

    services.reminders_create_due(now=first.start - datetime.timedelta(hours=23))
    services.reminders_create_due(now=second.start - datetime.timedelta(hours=23))

    reminded = SessionReminder.objects.filter(registration__user=innovator)
    assert sorted(reminded.values_list("registration__session", flat=True)) == [
        first.pk,
        second.pk,
    ]
