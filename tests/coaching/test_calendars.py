import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from coaching import services
from coaching.models import CalendarFeed
from funds.models import Follow, FundCall

from ..factories import UserFactory
from .factories import CoachingSessionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

ORGANIZER = "mailto:network@localhost"


def parse(content):
    calendar = Calendar.from_ical(content)
    return calendar, list(calendar.walk("VEVENT"))


def invitation_of(message):
    """The text/calendar part of an email, parsed, and its METHOD content-type parameter."""
    parts = [part for part in message.attachments if part.get_content_type() == "text/calendar"]
    if not parts:
        return None, None
    (part,) = parts
    return parse(part.get_payload(decode=True))[0], part.get_param("method")


def test_add_to_calendar_gives_a_stable_uid_and_publishes(visitor, host_session):
    response = visitor.get(reverse("coaching:ics", args=[host_session.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar, (event,) = parse(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    assert str(event["UID"]) == f"session-{host_session.pk}@portal.example.org"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == host_session.start
    assert event.decoded("DTEND") == host_session.end
    assert str(event["ORGANIZER"]) == ORGANIZER
    # Only people who hold a seat see where to join.
    assert host_session.online_link not in response.content.decode()


def test_the_download_carries_the_online_link_for_someone_registered(client_for, host_session):
    registration = RegistrationFactory(session=host_session)

    response = client_for(registration.user).get(reverse("coaching:ics", args=[host_session.pk]))

    assert host_session.online_link in response.content.decode().replace("\r\n ", "")


def test_a_time_change_raises_the_sequence_and_sends_an_itip_request(
    host_session, core_group_member, django_capture_on_commit_callbacks
):
    holder = RegistrationFactory(session=host_session).user
    waiting = RegistrationFactory(session=host_session, status="waitlisted").user
    later = host_session.start + datetime.timedelta(days=1)
    host_session.start, host_session.end = later, later + datetime.timedelta(hours=2)

    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=host_session)

    host_session.refresh_from_db()
    assert host_session.sequence == 1
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {holder.email, waiting.email}
    calendar, method = invitation_of(by_recipient[holder.email])
    assert method == calendar["METHOD"] == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"session-{host_session.pk}@portal.example.org"
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == later
    assert str(event["ORGANIZER"]) == ORGANIZER
    assert str(event["ATTENDEE"]) == f"mailto:{holder.email}"
    # The organizer is the portal: no host's address appears anywhere in the invitation.
    assert core_group_member.email not in calendar.to_ical().decode()
    # Someone on the waitlist hears of the change but gets nothing for their calendar.
    assert invitation_of(by_recipient[waiting.email]) == (None, None)
    assert by_recipient[waiting.email].subject == "Changed: Budgeting circle"


def test_a_change_of_description_alone_neither_emails_nor_raises_the_sequence(
    host_session, django_capture_on_commit_callbacks
):
    RegistrationFactory(session=host_session)
    host_session.description = "Bring your budget table."

    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=host_session)

    host_session.refresh_from_db()
    assert host_session.sequence == 0
    assert mail.outbox == []


def test_cancelling_sends_an_itip_cancel_with_a_higher_sequence(
    host_session, django_capture_on_commit_callbacks
):
    holder = RegistrationFactory(session=host_session).user

    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=host_session)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=host_session)  # a second click changes nothing

    (message,) = mail.outbox
    assert message.to == [holder.email]
    assert message.subject == "Cancelled: Budgeting circle"
    calendar, method = invitation_of(message)
    assert method == calendar["METHOD"] == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert event["SEQUENCE"] == 1
    assert event["STATUS"] == "CANCELLED"
    assert str(event["ORGANIZER"]) == ORGANIZER


def test_only_the_latest_of_two_quick_changes_is_announced(
    host_session, django_capture_on_commit_callbacks
):
    RegistrationFactory(session=host_session)
    for _change in range(2):
        host_session.start += datetime.timedelta(days=1)
        host_session.end += datetime.timedelta(days=1)
        services.session_save(session=host_session)

    with django_capture_on_commit_callbacks(execute=True):
        services.notices_send()

    (message,) = mail.outbox
    (event,) = invitation_of(message)[0].walk("VEVENT")
    assert event["SEQUENCE"] == 2


def test_my_feed_lists_my_seats_my_sessions_and_the_deadlines_i_follow(
    client_for, innovator, core_group_member, host_session
):
    mine = RegistrationFactory(user=innovator).session
    RegistrationFactory(user=innovator, status="waitlisted")
    CoachingSessionFactory(title="Someone else's session")
    call = FundCall.objects.create(
        title="Youth skills challenge",
        funder="A foundation",
        source_type=FundCall.SourceType.FOUNDATION,
        description="Grants for apprenticeship pilots.",
        link="https://funder.example.org/call",
        deadline=timezone.now() + datetime.timedelta(days=20),
        status=FundCall.Status.PUBLISHED,
    )
    Follow.objects.create(user=innovator, call=call)
    feed = services.calendar_feed_get(user=innovator)
    host_feed = services.calendar_feed_get(user=core_group_member)

    response = client_for(None).get(feed.get_absolute_url())
    host_response = client_for(None).get(host_feed.get_absolute_url())

    assert response.status_code == 200
    calendar, events = parse(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    assert {str(event["SUMMARY"]) for event in events} == {
        mine.title,
        "Deadline: Youth skills challenge",
    }
    assert mine.online_link in response.content.decode().replace("\r\n ", "")
    _, host_events = parse(host_response.content)
    assert [str(event["UID"]) for event in host_events] == [
        f"session-{host_session.pk}@portal.example.org"
    ]


def test_resetting_the_feed_stops_the_old_address_at_once(client_for, innovator):
    client = client_for(innovator)
    page = client.get(reverse("coaching:calendar"))
    old = CalendarFeed.objects.get(user=innovator)
    assert old.get_absolute_url() in page.content.decode()

    response = client.post(reverse("coaching:calendar"))

    new = CalendarFeed.objects.get(user=innovator)
    assert response.status_code == 302
    assert new.token != old.token
    assert client_for(None).get(old.get_absolute_url()).status_code == 404
    assert client_for(None).get(new.get_absolute_url()).status_code == 200
    assert new.get_absolute_url() in client.get(reverse("coaching:calendar")).content.decode()


def test_tokens_are_long_random_and_unique():
    tokens = {services.calendar_feed_get(user=UserFactory()).token for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(token) >= 40 for token in tokens)


def test_an_unknown_feed_address_is_not_found(visitor):
    assert visitor.get(reverse("coaching:feed", args=["not-a-token"])).status_code == 404
