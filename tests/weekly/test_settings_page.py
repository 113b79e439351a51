"""The weekly email's settings page: each person chooses how often and on which weekday."""

import datetime

import pytest
from django.test import RequestFactory

from network_portal import registry
from network_portal.weekly import services
from network_portal.weekly.models import WeeklyEmail

pytestmark = pytest.mark.django_db

URL = "/weekly-email/"


def test_visitors_are_sent_to_sign_in(visitor):
    response = visitor.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "name", ["user_without_profile", "innovator", "core_group_member", "staff_officer"]
)
def test_every_signed_in_persona_chooses_their_own_weekly_email(name, request, client_for):
    user = request.getfixturevalue(name)
    client = client_for(user)
    page = client.get(URL)
    assert page.status_code == 200
    assert "You do not get the weekly email at the moment." in page.content.decode()

    response = client.post(URL, {"frequency": "fortnightly", "weekday": "3"}, follow=True)

    assert "Your weekly email settings were saved." in response.content.decode()
    assert "Next one, if there is news for you" in response.content.decode()
    setting = WeeklyEmail.objects.get()
    assert (setting.user, setting.frequency, setting.weekday) == (user, "fortnightly", 3)


def test_a_bad_choice_shows_an_error_and_saves_nothing(client_for, innovator):
    response = client_for(innovator).post(URL, {"frequency": "hourly", "weekday": "9"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not WeeklyEmail.objects.exists()


def test_changing_only_the_time_zone_keeps_the_count_of_fortnights(innovator):
    chosen = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC)
    setting = services.weekly_email_save(
        user=innovator, frequency="fortnightly", weekday=0, now=chosen
    )
    again = services.weekly_email_save(
        user=innovator, frequency="fortnightly", weekday=0, now=chosen + datetime.timedelta(days=3)
    )

    assert again.chosen_at == setting.chosen_at == chosen
    assert again.anchor == datetime.date(2026, 11, 30)


def test_the_page_is_linked_from_the_account_settings_and_the_member_home(client_for, innovator):
    settings_page = client_for(innovator).get("/accounts/settings/").content.decode()
    assert f'href="{URL}"' in settings_page

    request = RequestFactory().get("/")
    request.user = innovator
    blocks = registry.render(registry.MEMBER_HOME_BLOCKS, request=request)
    assert any(f'href="{URL}"' in block for block in blocks)
