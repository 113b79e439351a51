"""Time zones as people read them: "Dakar (GMT+0)" rather than the IANA identifier."""

import datetime
import zoneinfo
from functools import cache

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The IANA areas offered in the settings, in this order; other identifiers ("US/Eastern",
# "Etc/GMT+5", "EST5EDT") are aliases kept for compatibility, and are still shown by name.
AREAS = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}


def city_name(key):
    """The place an identifier names: "America/Argentina/Buenos_Aires" is "Buenos Aires"."""
    return str(key).rsplit("/", 1)[-1].replace("_", " ")


def gmt_offset(key, at=None):
    """ "GMT+1", "GMT-3", "GMT+5:30": the zone's offset from GMT at ``at`` (default: now)."""
    at = at or timezone.now()
    offset = at.astimezone(zoneinfo.ZoneInfo(str(key))).utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"GMT{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def time_zone_name(key, at=None):
    """ "Dakar (GMT+0)": the city and the offset at ``at``, for a time shown at that moment."""
    key = str(key)
    try:
        offset = gmt_offset(key, at)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return key
    if key in ("UTC", "Etc/UTC", "GMT", "Etc/GMT"):
        return "UTC"
    return f"{city_name(key)} ({offset})"


@cache
def _zones_by_area():
    grouped = {area: [] for area in AREAS}
    for key in sorted(zoneinfo.available_timezones()):
        area, _slash, place = key.partition("/")
        if area in grouped and place:
            grouped[area].append(key)
    return grouped


def time_zone_choices(current="", at=None):
    """Choices for a select: UTC, then each area's cities in alphabetical order of their names.

    ``current``, a valid identifier outside those areas ("US/Eastern"), is offered first, so that a
    form showing it still validates.
    """
    choices = [("UTC", "UTC")]
    if current and current != "UTC" and current.partition("/")[0] not in AREAS:
        choices.append((current, time_zone_name(current, at)))
    for area, keys in _zones_by_area().items():
        cities = sorted(keys, key=city_name)
        choices.append((AREAS[area], [(key, time_zone_name(key, at)) for key in cities]))
    return choices
