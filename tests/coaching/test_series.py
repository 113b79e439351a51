import datetime
import zoneinfo

import pytest
from django.urls import reverse

from coaching import services
from coaching.models import CoachingSession, SessionSeries

from .factories import SessionSeriesFactory

pytestmark = pytest.mark.django_db

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")
BEFORE_FIRST = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)


def starts(series):
    return list(series.sessions.order_by("start").values_list("start", flat=True))


def test_a_fortnightly_circle_stays_at_14_00_in_geneva_across_summer_time(core_group_member):
    series = SessionSeriesFactory(hosts=[core_group_member.member])

    created = services.series_generate_sessions(
        series=series, now=BEFORE_FIRST, horizon=datetime.timedelta(weeks=7)
    )

    local = [start.astimezone(GENEVA) for start in starts(series)]
    assert [(s.month, s.day, s.hour, s.minute) for s in local] == [
        (3, 3, 14, 0),
        (3, 17, 14, 0),
        (3, 31, 14, 0),  # Europe moved its clocks on 29 March
        (4, 14, 14, 0),
    ]
    assert [s.astimezone(datetime.UTC).hour for s in starts(series)] == [13, 13, 12, 12]
    assert len(created) == 4
    assert all(session.end - session.start == datetime.timedelta(hours=1) for session in created)
    assert all(list(s.hosts.all()) == [core_group_member.member] for s in series.sessions.all())


def test_generating_again_creates_nothing_twice():
    series = SessionSeriesFactory()
    horizon = datetime.timedelta(weeks=7)

    services.series_generate_sessions(series=series, now=BEFORE_FIRST, horizon=horizon)
    again = services.series_generate_sessions(series=series, now=BEFORE_FIRST, horizon=horizon)
    later = services.series_generate_sessions(
        series=series, now=BEFORE_FIRST, horizon=datetime.timedelta(weeks=9)
    )

    assert again == []
    assert len(later) == 1
    assert series.sessions.count() == 5


def test_a_series_in_utc_keeps_14_00_utc_and_honours_its_count():
    series = SessionSeriesFactory(time_zone="UTC", count=3)

    services.series_generate_sessions(
        series=series, now=BEFORE_FIRST, horizon=datetime.timedelta(weeks=52)
    )

    assert [(s.month, s.day, s.hour) for s in starts(series)] == [
        (3, 3, 14),
        (3, 17, 14),
        (3, 31, 14),
    ]


def test_a_series_stops_at_its_last_date_and_skips_the_past():
    series = SessionSeriesFactory(until=datetime.date(2026, 4, 30))
    now = datetime.datetime(2026, 3, 20, tzinfo=datetime.UTC)

    services.series_generate_sessions(series=series, now=now, horizon=datetime.timedelta(weeks=52))

    assert [(s.month, s.day) for s in starts(series)] == [(3, 31), (4, 14), (4, 28)]


def test_each_occurrence_has_its_own_registrations(innovator):
    series = SessionSeriesFactory(starts_on=datetime.date.today() + datetime.timedelta(days=1))
    first, second = services.series_generate_sessions(
        series=series, horizon=datetime.timedelta(weeks=4)
    )[:2]

    services.registration_create(session=first, user=innovator)

    assert first.registrations.count() == 1
    assert second.registrations.count() == 0


def test_the_admin_creates_the_coming_sessions_when_a_series_is_saved(client_for, staff_officer):
    data = {
        "title": "Peer-coaching circle: presenting a project",
        "kind": "peer-circle",
        "description": "",
        "language": "en",
        "time_zone": "Europe/Zurich",
        "online_link": "https://meet.example.org/circle",
        "place": "",
        "capacity": "12",
        "weekday": "1",
        "start_time": "14:00",
        "duration": "01:30:00",
        "interval": "2",
        "starts_on": datetime.date.today().isoformat(),
        "until": "",
        "count": "",
        "is_active": "on",
    }

    response = client_for(staff_officer).post(reverse("admin:coaching_sessionseries_add"), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    series = SessionSeries.objects.get()
    sessions = CoachingSession.objects.filter(series=series)
    assert 5 <= sessions.count() <= 7  # twelve weeks ahead, every two weeks
    assert all(s.start.astimezone(GENEVA).strftime("%a %H:%M") == "Tue 14:00" for s in sessions)
