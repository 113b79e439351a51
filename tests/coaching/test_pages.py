import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaching.models import Registration
from coaching.views import PAGE_SIZE

from ..factories import UserFactory
from .factories import CoachingSessionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 10, 13, 0, tzinfo=datetime.UTC)


def text_of(html, element_id):
    match = re.search(rf'id="{element_id}">(.*?)</dd>', html, re.S)
    return re.sub(r"<[^>]+>", "", match[1]) if match else ""


def titles(response):
    return [session.title for session in response.context["sessions"]]


# ---- Browse ----------------------------------------------------------------------------------


def test_the_list_shows_upcoming_sessions_soonest_first_and_past_ones_apart(visitor, time_machine):
    time_machine.move_to(START, tick=False)
    CoachingSessionFactory(title="Next week", start=START + datetime.timedelta(days=7))
    CoachingSessionFactory(title="Tomorrow", start=START + datetime.timedelta(days=1))
    CoachingSessionFactory(title="Last week", start=START - datetime.timedelta(days=7))

    assert titles(visitor.get(reverse("coaching:list"))) == ["Tomorrow", "Next week"]
    assert titles(visitor.get(reverse("coaching:past"))) == ["Last week"]


def test_the_list_filters_by_kind_category_and_language(visitor):
    CoachingSessionFactory(title="Circle", kind="peer-circle", categories=["career-guidance"])
    CoachingSessionFactory(title="Briefing", kind="briefing", categories=["entrepreneurship"])
    CoachingSessionFactory(title="Atelier", kind="workshop", language_id="fr")

    def listed(**query):
        return titles(visitor.get(reverse("coaching:list"), query))

    assert listed(kind="briefing") == ["Briefing"]
    assert listed(category="career-guidance") == ["Circle"]
    assert listed(language="fr") == ["Atelier"]


def test_the_month_filter_follows_the_viewers_time_zone(client_for, time_machine):
    time_machine.move_to(START, tick=False)
    end_of_march_utc = datetime.datetime(2026, 3, 31, 20, 0, tzinfo=datetime.UTC)
    CoachingSessionFactory(title="Late March in UTC", start=end_of_march_utc)
    in_manila = client_for(UserFactory(time_zone="Asia/Manila"))
    in_utc = client_for(UserFactory(time_zone="UTC"))

    assert titles(in_manila.get(reverse("coaching:list"), {"month": "2026-04"})) == [
        "Late March in UTC"
    ]
    assert titles(in_utc.get(reverse("coaching:list"), {"month": "2026-03"})) == [
        "Late March in UTC"
    ]
    assert titles(in_utc.get(reverse("coaching:list"), {"month": "2026-04"})) == []


@pytest.mark.parametrize(
    "query", [{"month": "2026-13"}, {"category": "no-such-category"}, {"kind": "party"}]
)
def test_a_bad_filter_shows_the_error_and_no_sessions(visitor, query):
    CoachingSessionFactory()

    response = visitor.get(reverse("coaching:list"), query)

    assert response.status_code == 200
    assert titles(response) == []
    assert response.context["filter"].form.errors
    assert "Correct the filters" in response.content.decode()


@pytest.mark.parametrize("month", ["0000-01", "1899-12", "2100-01", "9999-12"])
def test_a_month_outside_the_calendar_we_serve_is_refused_with_the_usual_message(visitor, month):
    CoachingSessionFactory()

    response = visitor.get(reverse("coaching:list"), {"month": month})

    assert response.status_code == 200
    assert titles(response) == []
    assert "Enter a month as YYYY-MM, e.g. 2026-03." in response.content.decode()


def test_the_list_costs_the_same_queries_for_one_session_and_a_full_page(
    client_for, innovator, core_group_member, django_assert_num_queries
):
    client = client_for(innovator)
    host = core_group_member.member

    def make(count):
        for _ in range(count):
            session = CoachingSessionFactory(hosts=[host], categories=["career-guidance"])
            RegistrationFactory(session=session, user=innovator)

    make(1)
    client.get(reverse("coaching:list"))  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("coaching:list"))
    assert len(response.context["sessions"]) == 1

    make(PAGE_SIZE + 5)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("coaching:list"))
    assert len(response.context["sessions"]) == PAGE_SIZE


# ---- Detail ----------------------------------------------------------------------------------


def test_the_detail_shows_the_viewers_time_and_the_hosts(client_for, time_machine):
    time_machine.move_to(START - datetime.timedelta(days=3), tick=False)
    session = CoachingSessionFactory(
        start=START, end=START + datetime.timedelta(hours=1), time_zone="Europe/Zurich"
    )
    manila = UserFactory(time_zone="Asia/Manila")

    html = client_for(manila).get(session.get_absolute_url()).content.decode()

    viewer, host = text_of(html, "viewer-time"), text_of(html, "host-time")
    assert "March 10, 2026, 9 p.m." in viewer  # 13:00 UTC
    assert "(Manila (GMT+8))" in viewer
    assert "March 10, 2026, 2 p.m." in host  # Geneva's clock, on winter time
    assert "(Zurich (GMT+1))" in host


def test_summer_time_moves_the_hosts_clock_not_the_meeting(client_for, time_machine):
    summer = datetime.datetime(2026, 7, 7, 12, 0, tzinfo=datetime.UTC)
    time_machine.move_to(summer - datetime.timedelta(days=3), tick=False)
    session = CoachingSessionFactory(start=summer, end=summer + datetime.timedelta(hours=1))

    html = client_for(UserFactory(time_zone="Asia/Manila")).get(session.get_absolute_url())

    assert "July 7, 2026, 8 p.m." in text_of(html.content.decode(), "viewer-time")
    assert "July 7, 2026, 2 p.m." in text_of(html.content.decode(), "host-time")


@pytest.mark.parametrize(
    ("who", "sees_link"),
    [
        ("visitor", False),
        ("stranger", False),
        ("waitlisted", False),
        ("cancelled", False),
        ("registered", True),
        ("host", True),
        ("staff", True),
    ],
)
def test_the_online_link_is_shown_only_to_seat_holders_hosts_and_staff(
    who, sees_link, client_for, host_session, core_group_member, staff_officer
):
    users = {
        "visitor": None,
        "stranger": UserFactory(),
        "host": core_group_member,
        "staff": staff_officer,
    }
    if who in ("waitlisted", "cancelled", "registered"):
        users[who] = RegistrationFactory(session=host_session, status=who).user

    html = client_for(users[who]).get(host_session.get_absolute_url()).content.decode()

    assert (host_session.online_link in html) is sees_link


def test_seats_left_and_the_waitlist_are_shown(visitor):
    session = CoachingSessionFactory(capacity=2)
    RegistrationFactory(session=session)
    RegistrationFactory(session=session)
    RegistrationFactory(session=session, status="waitlisted")

    html = visitor.get(session.get_absolute_url()).content.decode()

    assert "0 of 2 left" in html
    assert "1 on the waitlist" in html


# ---- Register and cancel in one click --------------------------------------------------------


def test_registering_and_cancelling_are_one_click_each(client_for, innovator, host_session):
    client = client_for(innovator)

    response = client.post(reverse("coaching:register", args=[host_session.pk]), follow=True)
    assert "You are registered" in response.content.decode()
    assert "Cancel my registration" in response.content.decode()

    response = client.post(reverse("coaching:unregister", args=[host_session.pk]), follow=True)
    assert "Your registration is cancelled" in response.content.decode()
    assert Registration.objects.get(user=innovator).status == "cancelled"


def test_a_full_session_offers_the_waitlist_and_tells_the_position(
    client_for, innovator, host_session
):
    host_session.capacity = 1
    host_session.save()
    RegistrationFactory(session=host_session)
    client = client_for(innovator)

    assert "Join the waitlist" in client.get(host_session.get_absolute_url()).content.decode()
    response = client.post(reverse("coaching:register", args=[host_session.pk]), follow=True)

    html = response.content.decode()
    assert "you are on the waitlist" in html
    assert "You are number 1 on the waitlist." in html
    assert host_session.online_link not in html


def test_registering_for_a_cancelled_session_explains_why_and_changes_nothing(
    client_for, innovator, host_session
):
    host_session.status = "cancelled"
    host_session.save()

    response = client_for(innovator).post(
        reverse("coaching:register", args=[host_session.pk]), follow=True
    )

    assert "This session was cancelled." in response.content.decode()
    assert not Registration.objects.exists()


def test_registering_needs_a_post_and_a_sign_in(client_for, visitor, innovator, host_session):
    url = reverse("coaching:register", args=[host_session.pk])

    assert client_for(innovator).get(url).status_code == 405
    response = visitor.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Registration.objects.exists()


# ---- Every URL for every persona ------------------------------------------------------------

EVERYONE = {
    "visitor": 200,
    "user_without_profile": 200,
    "innovator": 200,
    "core_group_member": 200,
    "staff_officer": 200,
}
SIGNED_IN = {**EVERYONE, "visitor": 302}
HOSTS_AND_STAFF = {**SIGNED_IN, "user_without_profile": 403, "innovator": 403}

PAGES = [
    ("coaching:list", False, EVERYONE),
    ("coaching:past", False, EVERYONE),
    ("coaching:detail", True, EVERYONE),
    ("coaching:ics", True, EVERYONE),
    ("coaching:calendar", False, SIGNED_IN),
    ("coaching:new", False, HOSTS_AND_STAFF),
    ("coaching:edit", True, HOSTS_AND_STAFF),
    ("coaching:cancel", True, HOSTS_AND_STAFF),
    ("coaching:attendees", True, HOSTS_AND_STAFF),
    ("coaching:attendees_csv", True, HOSTS_AND_STAFF),
    ("coaching:notes", True, HOSTS_AND_STAFF),
    ("coaching:knowledge_list", False, EVERYONE),
    ("coaching:knowledge_new", False, HOSTS_AND_STAFF),
]


@pytest.mark.parametrize(("name", "needs_session", "expected"), PAGES)
def test_who_may_open_each_page(persona, name, needs_session, expected, host_session):
    persona_name, _user, client = persona
    url = reverse(name, args=[host_session.pk] if needs_session else [])

    response = client.get(url)

    assert response.status_code == expected[persona_name]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("coaching:cancel", {**HOSTS_AND_STAFF, "core_group_member": 302, "staff_officer": 302}),
        # Everyone is sent somewhere: visitors to sign in, the others back to the session.
        ("coaching:register", dict.fromkeys(EVERYONE, 302)),
    ],
)
def test_who_may_post_to_each_action(persona, name, expected, host_session):
    persona_name, user, client = persona

    response = client.post(reverse(name, args=[host_session.pk]))

    assert response.status_code == expected[persona_name]
    host_session.refresh_from_db()
    if name == "coaching:cancel":
        assert host_session.is_cancelled is (persona_name in ("core_group_member", "staff_officer"))
    else:
        assert Registration.objects.filter(session=host_session).exists() is (user is not None)


def test_a_core_group_member_cannot_manage_a_session_they_do_not_host(
    client_for, core_group_member
):
    other = CoachingSessionFactory()

    for name in ("coaching:edit", "coaching:attendees", "coaching:notes", "coaching:cancel"):
        assert client_for(core_group_member).get(reverse(name, args=[other.pk])).status_code == 403


def test_the_category_page_include_lists_the_next_sessions_of_that_category():
    from django.template.loader import render_to_string

    from categories.models import Category

    CoachingSessionFactory(title="Apprenticeship briefing", categories=["work-based-learning"])
    CoachingSessionFactory(title="Career circle", categories=["career-guidance"])
    cancelled = CoachingSessionFactory(title="Called off", categories=["work-based-learning"])
    cancelled.status = "cancelled"
    cancelled.save()
    category = Category.objects.get(slug="work-based-learning")

    html = render_to_string("coaching/_category_sessions.html", {"category": category})

    assert "Apprenticeship briefing" in html
    assert "Career circle" not in html and "Called off" not in html
    assert "/coaching/?category=work-based-learning" in html
