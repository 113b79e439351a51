"""The Kumu feed: the network in Kumu's blueprint shape, as JSON and as an .xlsx workbook.

It goes to a third-party service: never contact details, never unclaimed imported profiles.
Without a token it carries what an anonymous visitor sees; a staff member's token adds the
members-only (listed, non-public) profiles.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from members.models import Member

from .graph import CONNECTION, edges_between


def feed_members(*, members_only):
    members = Member.objects.listed().filter(owner__isnull=False)
    if not members_only:
        members = members.filter(is_public=True)
    return members.prefetch_related("categories", "languages").order_by("pk")


def blueprint(*, members_only, absolute):
    """``{"elements": [...], "connections": [...]}``; ``absolute(path)`` makes a full URL."""
    members = list(feed_members(members_only=members_only))
    elements = [
        {
            "id": f"member-{member.pk}",
            "label": member.name,
            "type": member.get_member_type_display(),
            "description": member.project_summary,
            "tags": [category.name for category in member.categories.all()],
            "country": member.country.name if member.country else "",
            "region": member.get_region_display(),
            "categories": [category.name for category in member.categories.all()],
            "languages": [language.name for language in member.languages.all()],
            "stage": member.get_project_stage_display() if member.project_stage else "",
            "url": absolute(member.get_absolute_url()),
        }
        for member in members
    ]
    connections = [
        {
            "id": f"{kind}-{a}-{b}",
            "from": f"member-{a}",
            "to": f"member-{b}",
            "type": _("Connection") if kind == CONNECTION else _("Co-hosts"),
            "direction": "undirected",
        }
        for (a, b), kind in sorted(edges_between([m.pk for m in members]).items())
    ]
    return {"elements": elements, "connections": connections}


ELEMENT_COLUMNS = [
    ("ID", "id"),
    ("Label", "label"),
    ("Type", "type"),
    ("Description", "description"),
    ("Tags", "tags"),
    ("Country", "country"),
    ("Region", "region"),
    ("Categories", "categories"),
    ("Languages", "languages"),
    ("Stage", "stage"),
    ("URL", "url"),
]
CONNECTION_COLUMNS = [("ID", "id"), ("From", "from"), ("To", "to"), ("Type", "type")]


def _cell(value):
    return "|".join(value) if isinstance(value, list) else value


def workbook(data):
    """Kumu's two sheets, Elements and Connections; multiple values separated by ``|``."""
    book = Workbook(write_only=True)
    for title, columns, rows in (
        ("Elements", ELEMENT_COLUMNS, data["elements"]),
        ("Connections", CONNECTION_COLUMNS, data["connections"]),
    ):
        sheet = book.create_sheet(title)
        sheet.append([header for header, _key in columns])
        for row in rows:
            sheet.append([_cell(row[key]) for _header, key in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
