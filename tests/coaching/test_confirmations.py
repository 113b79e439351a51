"""Registering for a session confirms it by email with a calendar invitation; giving the seat up
sends the calendar's cancellation. Each exactly once, through delivery rows."""

import email

import pytest
from django.core import mail
from icalendar import Calendar

from coaching import services
from coaching.calendars import session_uid
from coaching.models import Registration, SessionNotice
from coaching.tasks import send_session_notices

from ..factories import UserFactory
from .factories import CoachingSessionFactory, RegistrationFactory
from .test_calendars import invitation_of

pytestmark = pytest.mark.django_db


def register(client_for, user, session, capture):
    with capture(execute=True):
        response = client_for(user).post(f"/coaching/{session.pk}/register/")
    assert response.status_code == 302


def test_registering_sends_a_confirmation_with_an_itip_request(
    client_for, innovator, django_capture_on_commit_callbacks
):
    session = CoachingSessionFactory(title="Pitch practice")

    register(client_for, innovator, session, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.to == [innovator.email]
    assert message.subject == "You are registered: Pitch practice"
    assert session.online_link in message.body
    calendar, method = invitation_of(message)
    assert method == calendar["METHOD"] == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == session_uid(session) == f"session-{session.pk}@portal.example.org"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["ATTENDEE"]) == f"mailto:{innovator.email}"
    assert session.online_link in str(event["DESCRIPTION"])
    assert SessionNotice.objects.get().sent_at is not None


def test_the_confirmation_is_in_the_members_language(
    client_for, django_capture_on_commit_callbacks
):
    user = UserFactory(preferred_language="fr")
    session = CoachingSessionFactory()

    register(client_for, user, session, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert 'lang="fr"' in message.alternatives[0][0]


def test_registering_twice_confirms_once(client_for, innovator, django_capture_on_commit_callbacks):
    session = CoachingSessionFactory()

    register(client_for, innovator, session, django_capture_on_commit_callbacks)
    register(client_for, innovator, session, django_capture_on_commit_callbacks)
    services.notices_send()

    assert len(mail.outbox) == 1
    assert SessionNotice.objects.count() == 1


def test_a_waitlist_place_is_confirmed_without_the_link_or_an_invitation(
    client_for, innovator, django_capture_on_commit_callbacks
):
    session = CoachingSessionFactory(title="Full circle", capacity=1)
    RegistrationFactory(session=session)

    register(client_for, innovator, session, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.subject == "On the waitlist: Full circle"
    assert session.online_link not in message.body
    assert invitation_of(message) == (None, None)


def test_giving_up_a_seat_sends_an_itip_cancel_for_the_same_event(
    client_for, innovator, django_capture_on_commit_callbacks
):
    session = CoachingSessionFactory(title="Pitch practice")
    register(client_for, innovator, session, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        client_for(innovator).post(f"/coaching/{session.pk}/unregister/")

    confirmation, cancellation = mail.outbox
    assert cancellation.subject == "Registration cancelled: Pitch practice"
    assert session.online_link not in cancellation.body
    calendar, method = invitation_of(cancellation)
    assert method == calendar["METHOD"] == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == session_uid(session)
    assert str(event["STATUS"]) == "CANCELLED"
    (requested,) = invitation_of(confirmation)[0].walk("VEVENT")
    assert event["UID"] == requested["UID"]


def test_a_confirmation_overtaken_by_a_cancellation_is_not_sent(
    django_capture_on_commit_callbacks,
):
    session = CoachingSessionFactory()
    user = UserFactory()
    services.registration_create(session=session, user=user)  # its email waits in its row
    services.registration_cancel(session=session, user=user)

    services.notices_send()

    assert [message.subject.split(":")[0] for message in mail.outbox] == ["Registration cancelled"]
    confirmation = SessionNotice.objects.get(kind=SessionNotice.Kind.REGISTERED)
    assert confirmation.sent_at is None and confirmation.failed_at is not None


def test_the_demo_seeds_seats_without_owing_emails():
    session = CoachingSessionFactory()

    services.registration_create(session=session, user=UserFactory(), confirm=False)

    assert not SessionNotice.objects.exists()
    assert Registration.objects.get().status == Registration.Status.REGISTERED


def test_a_real_worker_sends_the_confirmation_exactly_once(celery_worker, smtp_relay, client):
    user = UserFactory(email="amara@example.org")
    session = CoachingSessionFactory(title="Budget clinic")
    client.force_login(user)

    client.post(f"/coaching/{session.pk}/register/")  # the confirmation is queued after commit
    for _ in range(2):  # the beat's rounds, or a task delivered twice
        send_session_notices.delay()
    celery_worker.wait_until_idle()

    assert smtp_relay.received() == ["amara@example.org"]
    ((_recipients, content),) = smtp_relay.envelopes
    message = email.message_from_bytes(content)
    assert message["Subject"] == "You are registered: Budget clinic"
    (part,) = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    assert calendar["METHOD"] == "REQUEST"
    assert str(calendar.walk("VEVENT")[0]["UID"]) == session_uid(session)
    assert SessionNotice.objects.get().sent_at is not None
