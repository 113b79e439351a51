import datetime
import zoneinfo
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from coaching import services
from coaching.models import CoachingSession, SessionSeries

from .factories import CoachingSessionFactory, SessionSeriesFactory
from .test_hosts import form_data

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


def generate(series, *, weeks=7, now=BEFORE_FIRST):
    return services.series_generate_sessions(
        series=series, now=now, horizon=datetime.timedelta(weeks=weeks)
    )


def local_starts(series):
    return [start.astimezone(GENEVA).strftime("%a %d/%m %H:%M") for start in starts(series)]


TUESDAYS = ["Tue 03/03 14:00", "Tue 17/03 14:00", "Tue 31/03 14:00", "Tue 14/04 14:00"]


def test_an_occurrence_the_host_moves_to_wednesday_is_not_made_again_on_tuesday(
    client_for, core_group_member, time_machine
):
    time_machine.move_to(BEFORE_FIRST, tick=False)
    series = SessionSeriesFactory(hosts=[core_group_member.member])
    second = generate(series)[1]

    response = client_for(core_group_member).post(
        reverse("coaching:edit", args=[second.pk]),
        form_data(second, start="2026-03-18T14:00", end="2026-03-18T15:00"),
    )

    assert response.status_code == 302
    assert generate(series) == []
    assert local_starts(series) == [TUESDAYS[0], "Wed 18/03 14:00", *TUESDAYS[2:]]
    second.refresh_from_db()
    assert second.occurrence_start.astimezone(GENEVA).strftime("%a %d/%m %H:%M") == TUESDAYS[1]


def test_an_occurrence_is_not_made_again_where_the_host_moved_another_one():
    series = SessionSeriesFactory()
    second = generate(series)[1]
    # Moved beyond what was generated, onto the time of an occurrence still to come.
    tuesday_28_april = datetime.datetime(2026, 4, 28, 12, 0, tzinfo=datetime.UTC)
    CoachingSession.objects.filter(pk=second.pk).update(
        start=tuesday_28_april, end=tuesday_28_april + datetime.timedelta(hours=1)
    )

    assert generate(series, weeks=9) == []
    assert local_starts(series) == [TUESDAYS[0], *TUESDAYS[2:], "Tue 28/04 14:00"]


def test_an_occurrence_removed_from_the_database_is_not_made_again():
    series = SessionSeriesFactory()
    generate(series)[1].delete()

    assert generate(series) == []
    assert [(s.month, s.day) for s in starts(series)] == [(3, 3), (3, 31), (4, 14)]
    assert [(s.start.month, s.start.day) for s in generate(series, weeks=9)] == [(4, 28)]


def test_the_admin_cancels_an_occurrence_rather_than_deleting_it(
    client_for, staff_officer, django_capture_on_commit_callbacks
):
    series = SessionSeriesFactory()
    occurrence = generate(series)[-1]  # the latest one: deleting it would let it come back
    one_off = CoachingSessionFactory()
    client = client_for(staff_officer)
    changelist = reverse("admin:coaching_coachingsession_changelist")

    delete_url = reverse("admin:coaching_coachingsession_delete", args=[occurrence.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [occurrence.pk], "post": "yes"},
    )
    assert CoachingSession.objects.filter(pk=occurrence.pk).exists()
    one_off_delete = reverse("admin:coaching_coachingsession_delete", args=[one_off.pk])
    assert client.get(one_off_delete).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        client.post(changelist, {"action": "cancel_sessions", "_selected_action": [occurrence.pk]})

    assert CoachingSession.objects.get(pk=occurrence.pk).is_cancelled
    assert generate(series) == []
    assert series.sessions.count() == 4


def test_a_series_moved_to_wednesday_keeps_its_sessions_and_goes_on_a_fortnight_later():
    series = SessionSeriesFactory()
    generate(series)

    series.weekday = SessionSeries.Weekday.WEDNESDAY
    series.save()
    generate(series, weeks=11)

    # Not Wednesday 15 April, the day after a Tuesday session of the same fortnight.
    assert local_starts(series) == [*TUESDAYS, "Wed 29/04 14:00", "Wed 13/05 14:00"]


def test_a_series_moved_to_16_00_keeps_its_sessions_and_goes_on_at_16_00():
    series = SessionSeriesFactory()
    generate(series)

    series.start_time = datetime.time(16, 0)
    series.save()
    generate(series, weeks=9)

    assert local_starts(series) == [*TUESDAYS, "Tue 28/04 16:00"]


def test_the_migration_marks_existing_series_sessions_with_their_start():
    fill_occurrence_start = import_module(
        "coaching.migrations.0003_coachingsession_occurrence_start"
    ).fill_occurrence_start
    series = SessionSeriesFactory()
    generate(series)
    one_off = CoachingSessionFactory()
    CoachingSession.objects.update(occurrence_start=None)  # as before the migration

    fill_occurrence_start(django_apps, schema_editor=None)

    for session in series.sessions.all():
        assert session.occurrence_start == session.start
    assert CoachingSession.objects.get(pk=one_off.pk).occurrence_start is None
