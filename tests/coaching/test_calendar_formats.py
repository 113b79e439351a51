"""Dates as the reader writes them in the attendee list, and deadlines that calendars can show."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.coaching.factories import RegistrationFactory
from tests.factories import UserFactory
from tests.funds.factories import FundCallFactory

pytestmark = pytest.mark.django_db

JOINED = datetime.datetime(2026, 3, 10, 14, 5, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "March 10, 2026, 2:05 p.m."), ("fr", "10 mars 2026 14:05"), ("es", "10 de marzo")],
)
def test_the_attendee_list_writes_dates_in_the_hosts_language(
    client_for, core_group_member, host_session, language, shown
):
    RegistrationFactory(session=host_session, user=UserFactory(), queued_at=JOINED)
    core_group_member.preferred_language = language
    core_group_member.save()
    client = client_for(core_group_member)
    client.cookies["django_language"] = language

    html = client.get(reverse("coaching:attendees", args=[host_session.pk])).content.decode()

    assert shown in html
    assert "03/10/2026" not in html


def test_a_deadline_event_has_a_duration_and_leaves_its_owner_free(visitor):
    call = FundCallFactory()

    (event,) = Calendar.from_ical(visitor.get(f"/funds/{call.pk}/calendar.ics").content).walk(
        "VEVENT"
    )

    assert event.decoded("DTSTART") == call.deadline.replace(microsecond=0)
    assert event.decoded("DURATION") == datetime.timedelta(minutes=30)
    assert str(event["TRANSP"]) == "TRANSPARENT"
