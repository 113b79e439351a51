import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from coaching import services
from coaching.models import CoachingSession, Registration

from ..factories import UserFactory
from .factories import CoachingSessionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def statuses(session):
    return dict(session.registrations.values_list("user__email", "status"))


def test_registering_takes_a_seat_until_the_session_is_full_then_waitlists():
    session = CoachingSessionFactory(capacity=2)
    users = UserFactory.create_batch(3)

    results = [services.registration_create(session=session, user=u) for u in users]

    assert [r.status for r in results] == ["registered", "registered", "waitlisted"]
    assert results[2].waitlist_position() == 1


def test_registering_twice_keeps_the_same_place():
    session = CoachingSessionFactory(capacity=1)
    early, late = UserFactory.create_batch(2)
    services.registration_create(session=session, user=early)
    waiting = services.registration_create(session=session, user=late)

    again = services.registration_create(session=session, user=late)

    assert again.pk == waiting.pk
    assert again.status == "waitlisted"
    assert session.registrations.count() == 2


def test_cancelling_a_seat_promotes_the_first_on_the_waitlist_and_emails_them(
    django_capture_on_commit_callbacks,
):
    session = CoachingSessionFactory(capacity=1, title="Pitch practice")
    holder, first_waiting, second_waiting = UserFactory.create_batch(3)
    for user in (holder, first_waiting, second_waiting):
        services.registration_create(session=session, user=user, confirm=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(session=session, user=holder)

    assert statuses(session) == {
        holder.email: "cancelled",
        first_waiting.email: "registered",
        second_waiting.email: "waitlisted",
    }
    sent = {message.to[0]: message for message in mail.outbox}
    assert sorted(sent) == sorted([holder.email, first_waiting.email])
    assert "You have a seat: Pitch practice" in sent[first_waiting.email].subject
    assert session.online_link in sent[first_waiting.email].body
    assert "Registration cancelled: Pitch practice" in sent[holder.email].subject


def test_leaving_the_waitlist_promotes_nobody_and_sends_nothing(
    django_capture_on_commit_callbacks,
):
    session = CoachingSessionFactory(capacity=1)
    holder, waiting = UserFactory.create_batch(2)
    services.registration_create(session=session, user=holder)
    services.registration_create(session=session, user=waiting)

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(session=session, user=waiting)

    assert statuses(session) == {holder.email: "registered", waiting.email: "cancelled"}
    assert mail.outbox == []


def test_someone_who_cancelled_and_comes_back_joins_the_end_of_the_waitlist():
    session = CoachingSessionFactory(capacity=1)
    holder, waiting, returning = UserFactory.create_batch(3)
    services.registration_create(session=session, user=holder)
    services.registration_create(session=session, user=returning)
    services.registration_create(session=session, user=waiting)
    services.registration_cancel(session=session, user=returning)

    back = services.registration_create(session=session, user=returning)

    assert back.status == "waitlisted"
    assert back.waitlist_position() == 2


def test_more_seats_promote_from_the_waitlist(django_capture_on_commit_callbacks):
    session = CoachingSessionFactory(capacity=1)
    users = UserFactory.create_batch(3)
    for user in users:
        services.registration_create(session=session, user=user, confirm=False)

    session.capacity = 2
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session)

    assert [statuses(session)[u.email] for u in users] == ["registered", "registered", "waitlisted"]
    assert [message.to for message in mail.outbox] == [[users[1].email]]


def test_no_registration_for_a_cancelled_or_started_session(time_machine):
    cancelled = CoachingSessionFactory()
    services.session_cancel(session=cancelled)
    started = CoachingSessionFactory()
    user = UserFactory()

    with pytest.raises(ValidationError, match="cancelled"):
        services.registration_create(session=cancelled, user=user)
    time_machine.move_to(started.start, tick=False)
    with pytest.raises(ValidationError, match="already started"):
        services.registration_create(session=started, user=user)
    assert not Registration.objects.filter(user=user).exists()


def test_a_seat_cannot_be_given_up_once_the_session_has_started(time_machine):
    registration = RegistrationFactory()
    time_machine.move_to(registration.session.start, tick=False)

    with pytest.raises(ValidationError):
        services.registration_cancel(session=registration.session, user=registration.user)
    assert Registration.objects.get(pk=registration.pk).status == "registered"


def test_the_database_refuses_a_second_registration_of_the_same_person():
    registration = RegistrationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            session=registration.session, user=registration.user, status="waitlisted"
        )


def test_the_database_refuses_a_session_that_ends_before_it_starts_or_has_no_seats():
    session = CoachingSessionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachingSession.objects.filter(pk=session.pk).update(end=session.start)
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachingSession.objects.filter(pk=session.pk).update(capacity=0)


@pytest.mark.django_db(transaction=True)
def test_people_racing_for_the_last_seats_never_overbook(reference_data):
    session = CoachingSessionFactory(capacity=3)
    services.registration_create(session=session, user=UserFactory())
    racers = UserFactory.create_batch(6)
    barrier = threading.Barrier(len(racers))
    errors = []

    def take_a_seat(user):
        try:
            barrier.wait(timeout=10)
            services.registration_create(session=session, user=user)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take_a_seat, args=(user,)) for user in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    counts = {
        status: session.registrations.filter(status=status).count()
        for status in ("registered", "waitlisted")
    }
    assert counts == {"registered": 3, "waitlisted": 4}


@pytest.mark.django_db(transaction=True)
def test_a_cancellation_racing_a_registration_gives_the_seat_once(reference_data):
    session = CoachingSessionFactory(capacity=1)
    holder, waiting, newcomer = UserFactory.create_batch(3)
    services.registration_create(session=session, user=holder)
    services.registration_create(session=session, user=waiting)
    barrier = threading.Barrier(2)

    def run(action):
        try:
            barrier.wait(timeout=10)
            action()
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=run, args=(lambda: services.registration_cancel(session=session, user=holder),)
        ),
        threading.Thread(
            target=run,
            args=(lambda: services.registration_create(session=session, user=newcomer),),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert session.registrations.filter(status="registered").count() == 1
    # The waitlist is served first: the newcomer never jumps the queue.
    assert statuses(session)[waiting.email] == "registered"
    assert statuses(session)[newcomer.email] == "waitlisted"
