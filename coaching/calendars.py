"""iCalendar data for sessions: downloads and feeds (PUBLISH), invitations in emails (iTIP)."""

import datetime
from email.mime.text import MIMEText
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from funds.calendars import fundcall_event
from funds.models import FundCall
from network_portal.emails import absolute_url

PRODID = "-//ILO Skills Innovation Network//Portal//EN"


def portal_host():
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"


def session_uid(session):
    """Stable for the life of the session, so calendars update the event instead of adding one."""
    return f"session-{session.pk}@{portal_host()}"


def organizer():
    """The portal's sender address: never a member's own email."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    calendar_address = vCalAddress(f"mailto:{address}")
    if name:
        calendar_address.params["cn"] = vText(name)
    return calendar_address


def session_event(session, *, show_link=False, attendee=None, now=None):
    """One VEVENT; ``show_link`` puts the online link in, for people who hold a seat."""
    event = Event()
    page = absolute_url(session.get_absolute_url())
    event.add("uid", session_uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", now or timezone.now())
    event.add("dtstart", session.start.astimezone(datetime.UTC))
    event.add("dtend", session.end.astimezone(datetime.UTC))
    event.add("summary", session.title)
    event.add("url", page)
    details = [session.description.strip(), page]
    location = session.place
    if show_link and session.online_link:
        details.insert(1, session.online_link)
        location = location or session.online_link
    event.add("description", "\n\n".join(part for part in details if part))
    if location:
        event.add("location", location)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    event.add("organizer", organizer())
    if attendee is not None:
        person = vCalAddress(f"mailto:{attendee.email}")
        person.params["cn"] = vText(attendee.get_full_name())
        person.params["role"] = vText("REQ-PARTICIPANT")
        person.params["partstat"] = vText("ACCEPTED")
        event.add("attendee", person)
    return event


def calendar(components, *, method="PUBLISH", name=None):
    """A VCALENDAR around ``components``, as bytes."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for component in components:
        cal.add_component(component)
    return cal.to_ical()


def invitation(session, *, attendee, cancel=False):
    """An iTIP message for an email: METHOD REQUEST (or CANCEL), the portal as organizer.

    Its UID is the session's (``session_uid``), so a later change or cancellation updates the
    same event in the attendee's calendar.
    """
    method = "CANCEL" if cancel else "REQUEST"
    event = session_event(session, show_link=not cancel, attendee=attendee)
    if cancel:
        # The event leaves this attendee's calendar, whether the session or their seat went.
        event["status"] = vText("CANCELLED")
    part = MIMEText(calendar([event], method=method).decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


def followed_fund_call_deadlines(user, *, since=None):
    """VEVENTs for the deadlines of the fund calls ``user`` follows and may still see."""
    since = since or timezone.now() - datetime.timedelta(days=90)
    calls = (
        FundCall.objects.visible_to(user)
        .filter(follows__user=user, deadline__gte=since)
        .exclude(status__in=[FundCall.Status.REJECTED, FundCall.Status.ARCHIVED])
        .order_by("deadline")
    )
    now = timezone.now()
    # The funds app's own events: the same UID as its calendars, so nothing shows twice.
    return [fundcall_event(call, now=now) for call in calls]
