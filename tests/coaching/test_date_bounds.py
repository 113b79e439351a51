"""Dates typed for a session or a series stay within 1900-2100, on the site and in the admin."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from coaching.models import CoachingSession, SessionSeries

from .factories import CoachingSessionFactory
from .test_hosts import form_data

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = "Enter a date between the years 1900 and 2100."


@pytest.mark.parametrize(
    ("start", "end"),
    [("9999-12-31T20:00", "9999-12-31T21:00"), ("0001-01-01T01:00", "0001-01-01T02:00")],
)
def test_a_host_cannot_type_a_session_in_year_9999_or_1(client_for, core_group_member, start, end):
    session = CoachingSessionFactory.build(title="Far circle", time_zone="Asia/Tokyo")

    response = client_for(core_group_member).post(
        reverse("coaching:new"), form_data(session, start=start, end=end)
    )

    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    assert not CoachingSession.objects.filter(title="Far circle").exists()


def _admin_form(model, user, data):
    request = RequestFactory().post("/admin/")
    request.user = user
    model_admin = admin.site._registry[model]
    return model_admin.get_form(request)(data)


def test_the_session_admin_refuses_year_9999(staff_officer):
    form = _admin_form(
        CoachingSession,
        staff_officer,
        {"start_0": "9999-12-31", "start_1": "20:00", "end_0": "9999-12-31", "end_1": "21:00"},
    )

    assert OUT_OF_RANGE in form.errors["start"]
    assert OUT_OF_RANGE in form.errors["end"]


def test_the_series_admin_refuses_year_1(staff_officer):
    form = _admin_form(
        SessionSeries, staff_officer, {"starts_on": "0001-01-01", "until": "9999-12-31"}
    )

    assert OUT_OF_RANGE in form.errors["starts_on"]
    assert OUT_OF_RANGE in form.errors["until"]
