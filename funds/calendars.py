"""iCalendar data for fund calls: one event per deadline, with a UID that never changes."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from network_portal.emails import absolute_url

PRODID = "-//ILO Skills Innovation Network//Fund calls//EN"
# A deadline is a moment; calendars show an event without a duration badly (or not at all), so
# it gets a short one, and does not mark its owner busy.
DEADLINE_DURATION = datetime.timedelta(minutes=30)


def fundcall_uid(call):
    """Stable for the life of the call, so a moved deadline updates the event in calendars."""
    host = urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"
    return f"fundcall-{call.pk}@{host}"


def fundcall_event(call, *, now=None):
    """A VEVENT starting at the deadline, short and transparent (a moment, not a meeting)."""
    page = absolute_url(call.get_absolute_url())
    event = Event()
    event.add("uid", fundcall_uid(call))
    event.add("dtstamp", now or timezone.now())
    event.add("last-modified", call.updated_at or now or timezone.now())
    event.add("dtstart", call.deadline.astimezone(datetime.UTC))
    event.add("duration", DEADLINE_DURATION)
    event.add("transp", "TRANSPARENT")
    event.add("summary", _("Deadline: %(title)s") % {"title": call.title})
    event.add("description", f"{call.funder}\n\n{call.description.strip()}\n\n{page}")
    event.add("url", page)
    event.add("status", "CONFIRMED" if call.status == call.Status.PUBLISHED else "CANCELLED")
    return event


def fundcall_calendar(calls, *, name=None):
    """A VCALENDAR (METHOD:PUBLISH) holding one event per call; returns bytes."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    now = timezone.now()
    for call in calls:
        calendar.add_component(fundcall_event(call, now=now))
    return calendar.to_ical()
