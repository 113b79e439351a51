"""Dates and amounts typed into a fund call stay within what the portal can show."""

import pytest

from categories.models import Category
from funds.models import FundCall

pytestmark = pytest.mark.django_db


def suggestion(**changes):
    return {
        "title": "Anything",
        "funder": "Someone",
        "source_type": "other",
        "link": "https://example.org",
        "description": "Text",
        "categories": [Category.objects.get(slug="training-delivery").pk],
        "deadline": "2030-06-01T12:00",
        "deadline_time_zone": "UTC",
        **changes,
    }


@pytest.mark.parametrize(
    "change",
    [
        {"deadline": "9999-12-31T23:00", "deadline_time_zone": "Asia/Tokyo"},
        {"deadline": "9999-12-31T23:00", "deadline_time_zone": "UTC"},
        {"deadline": "0001-01-01T05:00", "deadline_time_zone": "Asia/Tokyo"},
        {"deadline": "2101-01-01T00:00"},
        {"opening_date": "0001-01-01"},
        {"opening_date": "1899-12-31"},
    ],
)
def test_a_suggested_date_outside_1900_to_2100_is_a_form_error(client_for, innovator, change):
    response = client_for(innovator).post("/funds/suggest/", suggestion(**change))

    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2100." in response.content.decode()
    assert not FundCall.objects.exists()


def test_a_negative_amount_is_refused(client_for, innovator):
    response = client_for(innovator).post(
        "/funds/suggest/", suggestion(amount_min="-5000", amount_max="-10", currency="USD")
    )

    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()
    assert not FundCall.objects.exists()


def test_the_curators_admin_form_refuses_year_9999(client_for, staff_officer):
    data = {
        **suggestion(deadline="9999-12-31T23:00", deadline_time_zone="Asia/Tokyo"),
        "currency": "",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }

    response = client_for(staff_officer).post("/admin/funds/fundcall/add/", data)

    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2100." in response.content.decode()
    assert not FundCall.objects.exists()
