"""When a person's weekly email falls due: their chosen weekday at 08:00 in their time zone.

Pure date arithmetic, no database. A period is the person's own week (or fortnight, or month)
in the time zone they have *now*; its key names it ("2026-W49" for a week or the fortnight that
starts with it, "2026-12" for a month). At most one email per person and key (a unique
constraint), and the email owed is always the one of the latest send moment already passed: so a
person who moves time zone mid-period gets one email for it, never zero and never two.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

SEND_AT = datetime.time(8, 0)
WEEK = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Moment:
    """A send moment: when (aware, in the person's zone) and the key of its period."""

    at: datetime.datetime
    period: str


def zone_for(name):
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def monday_of(day):
    return day - datetime.timedelta(days=day.weekday())


def week_key(day):
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _at(day, zone):
    return datetime.datetime.combine(day, SEND_AT, tzinfo=zone)


def _first_weekday_of_month(year, month, weekday):
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7)


def latest_moment(*, frequency, weekday, anchor, zone, now):
    """The latest send moment at or before ``now`` for this choice, or None for "never".

    ``anchor`` is the Monday of the week the person chose a fortnightly email (fortnights are
    counted from it); ``zone`` a ``ZoneInfo``; ``now`` an aware datetime.
    """
    today = now.astimezone(zone).date()
    if frequency == "weekly":
        day = monday_of(today) + datetime.timedelta(days=weekday)
        if _at(day, zone) > now:
            day -= WEEK
        return Moment(_at(day, zone), week_key(day))
    if frequency == "fortnightly":
        monday = monday_of(today)
        weeks = (monday - (anchor or monday)).days // 7
        start = monday - WEEK * (weeks % 2)
        day = start + datetime.timedelta(days=weekday)
        if _at(day, zone) > now:
            day -= 2 * WEEK
        return Moment(_at(day, zone), week_key(monday_of(day)))
    if frequency == "monthly":
        year, month = today.year, today.month
        day = _first_weekday_of_month(year, month, weekday)
        if _at(day, zone) > now:
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
            day = _first_weekday_of_month(year, month, weekday)
        return Moment(_at(day, zone), f"{day.year}-{day.month:02d}")
    return None


def previous_moment(moment, **choice):
    """The send moment before ``moment`` for the same choice: where its window starts."""
    return latest_moment(now=moment.at - datetime.timedelta(microseconds=1), **choice)
