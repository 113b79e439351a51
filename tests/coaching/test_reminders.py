import datetime
import threading

import pytest
from django.core import mail
from django.db import connection

from coaching import services
from coaching.models import SessionReminder
from coaching.tasks import send_session_reminders
from network_portal import delivery

from ..factories import UserFactory
from .factories import CoachingSessionFactory, RegistrationFactory

START = datetime.datetime(2026, 3, 10, 13, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def session_with_people(db, time_machine):
    """Two people hold seats, one waits, one gave up their seat; three days before the start."""
    time_machine.move_to(START - datetime.timedelta(days=3), tick=False)
    session = CoachingSessionFactory(
        title="Budget clinic", start=START, end=START + HOUR, capacity=2
    )
    registered = [
        RegistrationFactory(session=session, user=UserFactory(email=f"seat{n}@example.org"))
        for n in range(2)
    ]
    RegistrationFactory(session=session, status="waitlisted", user=UserFactory())
    RegistrationFactory(session=session, status="cancelled", user=UserFactory())
    return session, registered


def sent_to():
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.mark.django_db
def test_each_registered_person_gets_the_day_and_hour_reminders_exactly_once(
    session_with_people, time_machine
):
    session, registered = session_with_people
    seats = sorted(r.user.email for r in registered)

    time_machine.move_to(START - 25 * HOUR, tick=False)
    assert services.reminders_send() == 0

    time_machine.move_to(START - 23 * HOUR, tick=False)
    assert services.reminders_send() == 2
    for minute in range(1, 4):  # the beat comes back every minute
        time_machine.move_to(START - 23 * HOUR + datetime.timedelta(minutes=minute), tick=False)
        assert services.reminders_send() == 0
    assert sent_to() == seats
    assert all(m.subject == "Reminder: Budget clinic" for m in mail.outbox)
    # Each carries a Message-ID fixed by its row, as every delivery does.
    assert sorted(m.extra_headers["Message-ID"] for m in mail.outbox) == sorted(
        f"<coaching.sessionreminder.{pk}@portal.example.org>"
        for pk in SessionReminder.objects.values_list("pk", flat=True)
    )

    mail.outbox.clear()
    time_machine.move_to(START - datetime.timedelta(minutes=50), tick=False)
    assert services.reminders_send() == 2
    assert services.reminders_send() == 0
    assert sent_to() == seats
    assert all(m.subject == "Starting soon: Budget clinic" for m in mail.outbox)
    assert session.online_link in mail.outbox[0].body

    mail.outbox.clear()
    time_machine.move_to(START + datetime.timedelta(minutes=5), tick=False)
    assert services.reminders_send() == 0
    assert SessionReminder.objects.filter(sent_at__isnull=False).count() == 4


@pytest.mark.django_db
def test_someone_registering_after_the_day_reminder_fell_due_gets_only_the_hour_one(
    time_machine,
):
    session = CoachingSessionFactory(start=START, end=START + HOUR)
    time_machine.move_to(START - 20 * HOUR, tick=False)
    RegistrationFactory(session=session)
    assert services.reminders_send() == 0

    time_machine.move_to(START - datetime.timedelta(minutes=59), tick=False)
    assert services.reminders_send() == 1
    assert mail.outbox[0].subject.startswith("Starting soon")


@pytest.mark.django_db
def test_the_reminder_is_in_the_persons_language_and_time_zone(time_machine):
    time_machine.move_to(START - datetime.timedelta(days=3), tick=False)
    session = CoachingSessionFactory(start=START, end=START + HOUR)
    RegistrationFactory(
        session=session,
        user=UserFactory(preferred_language="fr", time_zone="Asia/Manila"),
    )
    time_machine.move_to(START - 2 * HOUR, tick=False)

    services.reminders_send()

    body = mail.outbox[0].body
    assert "10 mars 2026 21:00" in body  # 13:00 UTC is 21:00 in Manila
    assert "10 mars 2026 14:00" in body  # and 14:00 for the host in Geneva
    assert "Manila (GMT+8)" in body


@pytest.mark.django_db
def test_no_reminder_for_a_cancelled_session_or_a_seat_given_up(session_with_people, time_machine):
    session, registered = session_with_people
    time_machine.move_to(START - 2 * HOUR, tick=False)
    services.reminders_create_due()
    services.registration_cancel(session=session, user=registered[0].user)
    services.reminders_send()
    reminded = [address for m in mail.outbox for address in m.to]
    # The freed seat went to the waitlist, whose first person is reminded instead.
    assert registered[0].user.email not in reminded
    assert len(reminded) == 2

    services.session_cancel(session=session)
    mail.outbox.clear()
    time_machine.move_to(START - datetime.timedelta(minutes=30), tick=False)
    assert services.reminders_send() == 0
    assert [m for m in mail.outbox if "Starting soon" in m.subject] == []


@pytest.mark.django_db
def test_a_session_moved_to_another_day_earns_reminders_for_the_new_time(
    session_with_people, time_machine
):
    session, registered = session_with_people
    time_machine.move_to(START - 23 * HOUR, tick=False)
    services.reminders_send()
    mail.outbox.clear()

    later = START + datetime.timedelta(days=3)
    session.start, session.end = later, later + HOUR
    services.session_save(session=session)
    time_machine.move_to(later - 23 * HOUR, tick=False)
    services.reminders_send()

    reminders = [m for m in mail.outbox if m.subject.startswith("Reminder")]
    assert sorted(a for m in reminders for a in m.to) == sorted(r.user.email for r in registered)


@pytest.mark.django_db
def test_a_claim_left_by_a_crashed_worker_is_sent_after_its_lease(
    session_with_people, time_machine
):
    time_machine.move_to(START - 2 * HOUR, tick=False)
    services.reminders_create_due()
    delivery.claim(SessionReminder.objects.all())  # the worker dies before sending

    assert services.reminders_send() == 0
    time_machine.move_to(START - 2 * HOUR + delivery.LEASE + datetime.timedelta(seconds=1))
    assert services.reminders_send() == 2
    assert services.reminders_send() == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_task_at_once_send_each_reminder_once(reference_data):
    now = datetime.datetime.now(datetime.UTC)
    start = now + 3 * HOUR
    sessions = CoachingSessionFactory.create_batch(3, start=start, end=start + HOUR)
    for session in sessions:
        for _ in range(5):
            RegistrationFactory(session=session, queued_at=now - 2 * HOUR * 24)
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait(timeout=10)
            services.reminders_send(limit=4)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(mail.outbox) == 15
    assert len({address for m in mail.outbox for address in m.to}) == 15
    assert SessionReminder.objects.filter(sent_at__isnull=False).count() == 15


def test_the_celery_worker_sends_each_reminder_once_however_often_the_beat_fires(
    celery_worker,
):
    now = datetime.datetime.now(datetime.UTC)
    start = now + 23 * HOUR
    session = CoachingSessionFactory(start=start, end=start + HOUR)
    for _ in range(4):
        RegistrationFactory(session=session, queued_at=now - 2 * HOUR * 24)

    for _ in range(3):  # the beat, plus a task duplicated by a redelivery
        send_session_reminders.delay()
    celery_worker.wait_until_idle()

    assert SessionReminder.objects.filter(sent_at__isnull=False).count() == 4
    assert len(mail.outbox) == 4
    assert all(m.subject.startswith("Reminder") for m in mail.outbox)
