"""The RSS feed and the calendars take the page's filters and parse back."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from icalendar import Calendar

from .factories import FundCallFactory, SuggestedFundCallFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
DAY = datetime.timedelta(days=1)
NOW = datetime.datetime(2026, 3, 6, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def calls(time_machine):
    time_machine.move_to(NOW, tick=False)
    return [
        FundCallFactory(
            title="Apprenticeship Fund",
            funder="Skills Trust",
            deadline=NOW + 5 * DAY,
            categories=["work-based-learning"],
        ),
        FundCallFactory(
            title="Data for Skills",
            funder="Open Data Institute",
            deadline=NOW + 50 * DAY,
            categories=["research-data"],
            eligible_regions=["europe-central-asia"],
        ),
        SuggestedFundCallFactory(title="Not yet reviewed"),
    ]


def rss_items(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    # Our own response, in a test: not untrusted input.
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314
    return channel, channel.findall("item")


def test_the_rss_feed_lists_open_calls_with_links_from_the_portal(visitor, calls):
    channel, items = rss_items(visitor.get("/funds/feed.rss"))

    assert [item.findtext("title") for item in items] == [
        "Apprenticeship Fund (Skills Trust)",
        "Data for Skills (Open Data Institute)",
    ]
    assert items[0].findtext("link") == f"http://testserver/funds/{calls[0].pk}/"
    assert items[0].findtext("guid") == f"fundcall-{calls[0].pk}"
    assert "2026-03-11 16:00 (Europe/Paris)" in items[0].findtext("description")
    assert [c.text for c in items[0].findall("category")] == ["work-based-learning"]
    assert channel.findtext("link") == "http://testserver/funds/"


def test_the_rss_feed_takes_the_same_filters_as_the_page(visitor):
    _channel, items = rss_items(visitor.get("/funds/feed.rss?category=research-data"))
    assert [item.findtext("title") for item in items] == ["Data for Skills (Open Data Institute)"]

    _channel, items = rss_items(visitor.get("/funds/feed.rss?closing=7"))
    assert [item.findtext("title") for item in items] == ["Apprenticeship Fund (Skills Trust)"]


@pytest.mark.parametrize(
    "url", ["/funds/feed.rss?region=atlantis", "/funds/deadlines.ics?closing=3"]
)
def test_a_bad_filter_answers_400_never_every_call(visitor, url):
    response = visitor.get(url)

    assert response.status_code == 400
    assert "Invalid filter" in response.content.decode()


def test_the_deadlines_calendar_has_one_event_per_selected_call(visitor, calls):
    response = visitor.get("/funds/deadlines.ics?region=europe-central-asia")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    # The global call is open to Europe too; the suggestion is in no feed.
    assert sorted(str(event["UID"]) for event in events) == sorted(
        f"fundcall-{call.pk}@portal.example.org" for call in calls[:2]
    )
    by_uid = {str(event["UID"]): event for event in events}
    event = by_uid[f"fundcall-{calls[1].pk}@portal.example.org"]
    assert event.decoded("DTSTART") == NOW + 50 * DAY
    assert str(event["SUMMARY"]) == "Deadline: Data for Skills"


def test_one_calls_calendar_file_is_a_download_with_a_stable_uid(visitor, calls):
    call = calls[0]

    first = visitor.get(f"/funds/{call.pk}/calendar.ics")
    second = visitor.get(f"/funds/{call.pk}/calendar.ics")

    assert "attachment" in first["Content-Disposition"]
    (event,) = Calendar.from_ical(first.content).walk("VEVENT")
    (again,) = Calendar.from_ical(second.content).walk("VEVENT")
    assert event["UID"] == again["UID"] == f"fundcall-{call.pk}@portal.example.org"
    assert event.decoded("DTSTART") == call.deadline
    assert str(event["URL"]) == f"https://portal.example.org/funds/{call.pk}/"


def test_a_suggestions_calendar_file_is_not_public(visitor, calls):
    assert visitor.get(f"/funds/{calls[2].pk}/calendar.ics").status_code == 404
