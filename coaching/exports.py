"""The attendee list of a session as CSV, safe to open in a spreadsheet."""

import csv
import datetime

from django.http import HttpResponse
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text a spreadsheet shows as text: a leading ' defuses anything it would run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def attendees_csv(session, registrations, *, show_email):
    """UTF-8 with a byte-order mark, so Excel reads accents; one row per participant."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"session-{session.pk}-attendees.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    header = [_("Name"), _("Organization"), _("Country"), _("Status"), _("Joined at (UTC)")]
    if show_email:
        header.insert(1, _("Email"))
    writer.writerow(header)
    for registration in registrations:
        user = registration.user
        member = getattr(user, "member", None)
        row = [
            user.display_name,
            member.name if member else "",
            member.country.code if member else "",
            registration.get_status_display(),
            registration.queued_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M"),
        ]
        if show_email:
            row.insert(1, user.email)
        writer.writerow([safe_cell(cell) for cell in row])
    return response
