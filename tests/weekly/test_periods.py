"""When a weekly email falls due: the chosen weekday at 08:00 in the person's time zone."""

import datetime
import itertools
import zoneinfo

import pytest

from network_portal.weekly import periods

UTC = datetime.UTC
DAKAR = zoneinfo.ZoneInfo("Africa/Dakar")  # UTC+0, no summer time
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")  # UTC+9
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")  # UTC-8 in December


def moment(frequency, weekday, zone, now, anchor=None):
    return periods.latest_moment(
        frequency=frequency, weekday=weekday, anchor=anchor, zone=zone, now=now
    )


def test_a_weekly_email_is_due_from_8_on_the_chosen_weekday_in_the_persons_zone():
    wednesday = 2
    # Wednesday 9 December 2026, 07:59 in Tokyo: last week's moment is the latest one.
    before = datetime.datetime(2026, 12, 9, 7, 59, tzinfo=TOKYO)
    after = datetime.datetime(2026, 12, 9, 8, 0, tzinfo=TOKYO)

    assert moment("weekly", wednesday, TOKYO, before).at == datetime.datetime(
        2026, 12, 2, 8, 0, tzinfo=TOKYO
    )
    due = moment("weekly", wednesday, TOKYO, after)
    assert due.at == after
    assert due.period == "2026-W50"


def test_a_fortnight_counts_from_the_week_the_person_chose_it():
    anchor = datetime.date(2026, 11, 30)  # chosen in the week of Monday 30 November
    monday = 0
    in_second_week = datetime.datetime(2026, 12, 9, 12, 0, tzinfo=DAKAR)
    in_third_week = datetime.datetime(2026, 12, 14, 9, 0, tzinfo=DAKAR)

    assert moment("fortnightly", monday, DAKAR, in_second_week, anchor).at == (
        datetime.datetime(2026, 11, 30, 8, 0, tzinfo=DAKAR)
    )
    due = moment("fortnightly", monday, DAKAR, in_third_week, anchor)
    assert due.at == datetime.datetime(2026, 12, 14, 8, 0, tzinfo=DAKAR)
    assert due.period == "2026-W51"


def test_a_monthly_email_goes_on_the_first_chosen_weekday_of_the_month():
    friday = 4
    # December 2026 starts on a Tuesday: its first Friday is the 4th.
    assert moment("monthly", friday, DAKAR, datetime.datetime(2026, 12, 3, tzinfo=UTC)).at == (
        datetime.datetime(2026, 11, 6, 8, 0, tzinfo=DAKAR)
    )
    due = moment("monthly", friday, DAKAR, datetime.datetime(2026, 12, 20, tzinfo=UTC))
    assert due.at == datetime.datetime(2026, 12, 4, 8, 0, tzinfo=DAKAR)
    assert due.period == "2026-12"


def test_never_has_no_moment():
    assert moment("never", 0, DAKAR, datetime.datetime(2026, 12, 3, tzinfo=UTC)) is None


def simulate(weekday, zones, move_at, start, end):
    """The emails a person gets, checked every half hour as the beat would, who lives in
    ``zones[0]`` until ``move_at`` and in ``zones[1]`` after: ``[(when, period)]``."""
    sent, keys = [], set()
    now = start
    while now < end:
        zone = zones[0] if now < move_at else zones[1]
        due = moment("weekly", weekday, zone, now)
        if due.at >= start and due.period not in keys:
            keys.add(due.period)
            sent.append((now, due.period))
        now += datetime.timedelta(minutes=30)
    return sent


@pytest.mark.parametrize("weekday", [0, 3, 6])
@pytest.mark.parametrize(("zones"), [(TOKYO, LOS_ANGELES), (LOS_ANGELES, TOKYO)])
def test_moving_time_zone_mid_week_never_brings_two_emails_nor_none(weekday, zones):
    start = datetime.datetime(2026, 11, 23, tzinfo=UTC)
    end = datetime.datetime(2027, 1, 4, tzinfo=UTC)
    for hours in range(0, 7 * 24, 7):  # the move at every seventh hour of a week
        move_at = datetime.datetime(2026, 12, 3, tzinfo=UTC) + datetime.timedelta(hours=hours)
        sent = simulate(weekday, zones, move_at, start, end)

        gaps = [later - earlier for (earlier, _), (later, _) in itertools.pairwise(sent)]
        assert sent[0][0] - start < datetime.timedelta(days=7)
        assert end - sent[-1][0] < datetime.timedelta(days=7)
        assert min(gaps) > datetime.timedelta(days=5), (move_at, sent)  # never two in a week
        assert max(gaps) < datetime.timedelta(days=9), (move_at, sent)  # never a week without


def test_a_move_that_skips_the_local_moment_still_owes_that_weeks_email():
    """Sunday 07:00 in Los Angeles is already Monday in Tokyo: the Sunday 08:00 moment of that
    week passed in Tokyo's time, so it is the latest one and that week's email is still owed."""
    sunday = 6
    in_la = datetime.datetime(2026, 12, 13, 7, 0, tzinfo=LOS_ANGELES)
    assert moment("weekly", sunday, LOS_ANGELES, in_la).period == "2026-W49"  # 6 Dec, last week

    in_tokyo = moment("weekly", sunday, TOKYO, in_la)
    assert in_tokyo.period == "2026-W50"
    assert in_tokyo.at == datetime.datetime(2026, 12, 13, 8, 0, tzinfo=TOKYO)
