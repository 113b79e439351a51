"""Time zones by the name of a city and their offset, never the bare IANA identifier."""

import datetime

import pytest

from accounts.time_zones import time_zone_choices, time_zone_name
from tests.coaching.factories import CoachingSessionFactory
from tests.factories import UserFactory
from tests.funds.factories import FundCallFactory

pytestmark = pytest.mark.django_db

WINTER = datetime.datetime(2026, 1, 15, 12, 0, tzinfo=datetime.UTC)
SUMMER = datetime.datetime(2026, 7, 15, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("key", "at", "name"),
    [
        ("Africa/Dakar", WINTER, "Dakar (GMT+0)"),
        ("Europe/Zurich", WINTER, "Zurich (GMT+1)"),
        ("Europe/Zurich", SUMMER, "Zurich (GMT+2)"),
        ("America/Argentina/Buenos_Aires", WINTER, "Buenos Aires (GMT-3)"),
        ("Asia/Kolkata", WINTER, "Kolkata (GMT+5:30)"),
        ("UTC", WINTER, "UTC"),
    ],
)
def test_a_time_zone_reads_as_its_city_and_offset(key, at, name):
    assert time_zone_name(key, at) == name


def test_the_settings_offer_cities_grouped_by_continent(client_for):
    user = UserFactory(time_zone="Africa/Dakar")

    html = client_for(user).get("/accounts/settings/").content.decode()

    assert '<optgroup label="Africa">' in html
    assert '<option value="Africa/Dakar" selected>Dakar (GMT+0)</option>' in html


def test_a_legacy_time_zone_stays_choosable():
    keys = [key for key, label in time_zone_choices(current="US/Eastern") if isinstance(label, str)]

    assert keys == ["UTC", "US/Eastern"]


def test_the_fund_call_page_names_the_funders_time_zone(visitor):
    call = FundCallFactory(
        deadline=SUMMER + datetime.timedelta(days=400), deadline_time_zone="Africa/Dakar"
    )

    content = visitor.get(call.get_absolute_url()).content.decode()

    assert "(Dakar (GMT+0))" in content
    assert "Africa/Dakar" not in content.replace('"Africa/Dakar"', "")


def test_the_session_page_names_the_hosts_time_zone_with_its_summer_offset(
    client_for, time_machine
):
    time_machine.move_to(SUMMER - datetime.timedelta(days=3), tick=False)
    session = CoachingSessionFactory(start=SUMMER, end=SUMMER + datetime.timedelta(hours=1))

    html = client_for(UserFactory(time_zone="Asia/Manila")).get(session.get_absolute_url())

    content = html.content.decode()
    assert "(Zurich (GMT+2))" in content
    assert "(Manila (GMT+8))" in content
    assert "Europe/Zurich" not in content
