"""The world map of members by country: one pre-projected SVG (``data/world.json``, made by
``make_world_map`` from Natural Earth), coloured by member count, each country a link to the
directory filtered by it; countries too small to see get a marker."""

import functools
import json
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

DATA = Path(__file__).resolve().parent / "data" / "world.json"
# Upper bounds of the colour classes (members per country).
BUCKETS = [1, 3, 10, 30]


@functools.cache
def shapes():
    return json.loads(DATA.read_text())


def country_counts(codes):
    return Counter(str(code) for code in codes if code)


def bucket(count):
    for index, bound in enumerate(BUCKETS):
        if count <= bound:
            return index + 1
    return len(BUCKETS) + 1


def legend():
    lower = 1
    steps = []
    for index, bound in enumerate(BUCKETS):
        steps.append(
            {
                "css": f"map-{index + 1}",
                "label": f"{lower}\u2013{bound}" if bound > lower else str(bound),
            }
        )
        lower = bound + 1
    steps.append({"css": f"map-{len(BUCKETS) + 1}", "label": f"> {BUCKETS[-1]}"})
    return steps


def render_map(counts, *, query=None):
    """``{"svg": ..., "rows": [...], "legend": [...]}`` for ``counts`` (country code → members).

    Each country's link keeps the filters of ``query`` (e.g. the category) and adds its own."""
    data = shapes()
    directory = reverse("members:list")
    kept = [
        (key, value)
        for key, values in (query.lists() if query is not None else [])
        if key in ("category", "type", "language", "q")
        for value in values
    ]

    def link(code):
        return f"{directory}?{urlencode([*kept, ('country', code)])}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {data["width"]} {data["height"]}" '
        f'class="world-map" role="group" aria-labelledby="map-title">'
        f'<title id="map-title">{escape(_("Members by country"))}</title>'
    ]
    for code, d in data["shapes"].items():
        count = counts.get(code, 0)
        name = countries.name(code) or code
        if count:
            label = ngettext(
                "%(country)s: %(count)s member", "%(country)s: %(count)s members", count
            ) % {"country": name, "count": count}
            parts.append(
                f'<a href="{escape(link(code))}"><path d="{d}" class="map-{bucket(count)}">'
                f"<title>{escape(label)}</title></path></a>"
            )
        else:
            parts.append(f'<path d="{d}" class="map-0"><title>{escape(name)}</title></path>')
    for code, (x, y) in data["markers"].items():
        count = counts.get(code, 0)
        if not count:
            continue
        label = ngettext(
            "%(country)s: %(count)s member", "%(country)s: %(count)s members", count
        ) % {"country": countries.name(code) or code, "count": count}
        parts.append(
            f'<a href="{escape(link(code))}"><circle cx="{x}" cy="{y}" r="4" '
            f'class="map-marker map-{bucket(count)}"><title>{escape(label)}</title></circle></a>'
        )
    parts.append("</svg>")
    rows = sorted(
        (
            {"code": code, "name": countries.name(code) or code, "count": count, "url": link(code)}
            for code, count in counts.items()
        ),
        key=lambda row: (-row["count"], row["name"]),
    )
    return {"svg": mark_safe("".join(parts)), "rows": rows, "legend": legend()}  # noqa: S308
