"""The network page (graph, metrics, world map) and the Kumu feed."""

import hashlib

from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from categories.models import Category
from members.filters import MemberFilter
from members.regions import Region

from . import graph, kumu, world
from .models import KumuToken, new_token

TABLE_PAGE_SIZE = 100
SVG_TIMEOUT = 3600
# Sort keys of the table (``?sort=``, ``-`` first for descending).
METRIC_KEYS = ["degree", "betweenness", "closeness", "eigenvector", "reach", "community"]
PLAIN_KEYS = ["name", "country", "region"]
REGION_CLASSES = {region.value: f"region-{index}" for index, region in enumerate(Region)}


def _filtered(request, audience):
    filterset = MemberFilter(
        request.GET or None, queryset=graph.audience_members(audience), request=request
    )
    rows = filterset.results.order_by("pk").values_list("pk", "name", "region", "country")
    return filterset, list(rows)


def colours(colour):
    """``(classes, legend)`` for colouring by ``region`` or by (main) ``category``: classes
    ``{value: css class}``, legend ``[(css class, label)]``."""
    if colour == "category":
        categories = list(Category.objects.order_by("position", "name"))
        return (
            {c.slug: f"category-{i}" for i, c in enumerate(categories)},
            [(f"category-{i}", c.display_name) for i, c in enumerate(categories)],
        )
    return REGION_CLASSES, [(REGION_CLASSES[r.value], r.label) for r in Region]


def graph_svg(nodes, edges, rows, *, title, colour="region", classes=None):
    """The graph as an SVG: a link per member (to the profile) with a <title>; edges drawn as
    one path per kind. Only the members in ``rows`` and the edges between them; members
    coloured by ``colour`` ("region" or "category", with ``classes`` from ``colour_classes``)."""
    classes = REGION_CLASSES if classes is None else classes
    shown = {pk for pk, *_rest in rows if pk in nodes}
    profile = reverse("members:detail", args=[999999999]).replace("999999999", "{}")
    paths = {graph.CONNECTION: [], graph.COHOST: []}
    for a, b, kind in edges:
        if a in shown and b in shown:
            na, nb = nodes[a], nodes[b]
            paths[kind].append(f"M{na['x']} {na['y']}L{nb['x']} {nb['y']}")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {graph.WIDTH} {graph.HEIGHT}" '
        f'class="network-graph" role="group" aria-labelledby="graph-title">'
        f'<title id="graph-title">{escape(title)}</title><g class="viewport">'
    ]
    for kind, css in ((graph.COHOST, "edge-cohost"), (graph.CONNECTION, "edge-connection")):
        if paths[kind]:
            parts.append(f'<path class="{css}" d="{"".join(paths[kind])}"/>')
    by_region = {}
    for pk, name, region, _country in rows:
        node = nodes.get(pk)
        if node is None:
            continue
        radius = round(3 + 1.5 * node["degree"] ** 0.5, 1)
        key = node.get("category", "") if colour == "category" else region
        by_region.setdefault(key, []).append(
            f'<a href="{profile.format(pk)}"><circle cx="{node["x"]}" cy="{node["y"]}" '
            f'r="{radius}"><title>{escape(name)}</title></circle></a>'
        )
    for region, circles in by_region.items():
        parts.append(f'<g class="{classes.get(region, "uncoloured")}">{"".join(circles)}</g>')
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def cached_svg(audience, data, rows, *, title, colour, classes):
    """``graph_svg``, kept for the same graph computation and the same members shown (the
    page without filters is the same for a whole audience)."""
    digest = hashlib.sha256(
        repr((translation.get_language(), colour, [row[0] for row in rows])).encode()
    ).hexdigest()
    key = f"network:svg:{audience}:{data['computed_at'].timestamp()}:{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = graph_svg(
            data["nodes"], data["edges"], rows, title=title, colour=colour, classes=classes
        )
        cache.set(key, str(svg), SVG_TIMEOUT)
    return mark_safe(svg)  # noqa: S308 (made by graph_svg, which escapes every text)


def filter_panel(filterset, action):
    """The filter form, rendered once per language and choice (its selects list every
    country and language: slow to render); a form with errors is rendered each time."""
    data = filterset.data if filterset.is_bound else {}
    # The page's own choices (colour, sort order) survive a change of filters.
    keep = [(name, data[name]) for name in ("colour", "sort") if data.get(name)]
    context = {"form": filterset.form, "action": action, "keep": keep}
    if filterset.is_bound and not filterset.is_valid():
        return render_to_string("network/_filters.html", context)
    chosen = sorted(filterset.data.lists()) if filterset.is_bound else []
    digest = hashlib.sha256(repr((translation.get_language(), action, chosen)).encode())
    key = f"network:filters:{digest.hexdigest()}"
    panel = cache.get(key)
    if panel is None:
        panel = render_to_string("network/_filters.html", context)
        cache.set(key, panel, SVG_TIMEOUT)
    return mark_safe(panel)  # noqa: S308 (a rendered template)


def _sort_key(sort):
    key = sort.lstrip("-")
    return (key if key in METRIC_KEYS + PLAIN_KEYS else "name"), sort.startswith("-")


def network_page(request):
    audience = graph.audience_for(request.user)
    data = graph.cached(audience)
    filterset, rows = _filtered(request, audience)
    sees_metrics = request.user.has_perm("network.view_network_metrics")
    colour = "category" if request.GET.get("colour") == "category" else "region"
    own = getattr(request.user, "member", None) if request.user.is_authenticated else None
    context = {
        "section": "network",
        "filterset": filterset,
        "filters": filter_panel(filterset, reverse("network:graph")),
        "data": data,
        "sees_metrics": sees_metrics,
        "colour": colour,
    }
    if data is None:
        graph.mark_dirty()  # the beat computes it within a minute; never in the request
        return render(request, "network/page.html", context)
    nodes = data["nodes"]
    classes, context["legend"] = colours(colour)
    context["svg"] = cached_svg(
        audience, data, rows, title=_("The network's members"), colour=colour, classes=classes
    )
    if own is not None and own.pk in nodes:
        context["own"] = {"member": own, **nodes[own.pk]}

    key, descending = _sort_key(request.GET.get("sort", "name"))
    if key in METRIC_KEYS and not sees_metrics:
        key, descending = "name", False
    table = [
        {"pk": pk, "name": name, "region": region, "country": country, **nodes[pk]}
        for pk, name, region, country in rows
        if pk in nodes
    ]
    if key in METRIC_KEYS:
        sign = -1 if descending else 1  # ties by name, A to Z, either way
        table.sort(key=lambda row: (sign * row[key], row["name"].lower()))
    else:
        table.sort(key=lambda row: (str(row[key]).lower(), row["pk"]), reverse=descending)
    page = Paginator(table, TABLE_PAGE_SIZE).get_page(request.GET.get("page"))
    region_names = dict(Region.choices)
    for row in page.object_list:
        row["region_name"] = region_names.get(row["region"], "")
        row["country_name"] = countries.name(row["country"]) or row["country"]
    columns = [("name", _("Member")), ("country", _("Country")), ("region", _("Region"))]
    if sees_metrics:
        columns += [
            ("degree", _("Degree")),
            ("betweenness", _("Betweenness")),
            ("closeness", _("Closeness")),
            ("eigenvector", _("Eigenvector")),
            ("reach", _("Reach (two steps)")),
            ("community", _("Community")),
        ]
    context.update(
        {
            "page": page,
            "columns": [
                {
                    "key": column,
                    "label": label,
                    "sorted": column == key,
                    "descending": column == key and descending,
                    "next": f"-{column}" if column == key and not descending else column,
                }
                for column, label in columns
            ],
            "shown": len(table),
            "summary": data["summary"],
        }
    )
    return render(request, "network/page.html", context)


def world_map(request):
    """The world map page: members by country, filterable like the directory."""
    audience = graph.audience_for(request.user)
    filterset, rows = _filtered(request, audience)
    counts = world.country_counts(row[3] for row in rows)
    return render(
        request,
        "network/map.html",
        {
            "section": "network",
            "filterset": filterset,
            "filters": filter_panel(filterset, reverse("network:map")),
            "map": world.render_map(counts, query=request.GET),
        },
    )


# ---- Kumu --------------------------------------------------------------------------------


def _token_user(request):
    token = request.GET.get("token")
    if not token:
        return False
    found = KumuToken.objects.filter(token=token).select_related("user").first()
    if found is None or not found.user.is_active:
        raise Http404
    if not found.user.has_perm("network.use_kumu_token"):
        raise Http404
    return True


def kumu_json(request):
    data = kumu.blueprint(members_only=_token_user(request), absolute=request.build_absolute_uri)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-store"
    return response


def kumu_xlsx(request):
    data = kumu.blueprint(members_only=_token_user(request), absolute=request.build_absolute_uri)
    response = HttpResponse(
        kumu.workbook(data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="network-kumu.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


@permission_required("network.use_kumu_token")
def kumu_token(request):
    token, _created = KumuToken.objects.get_or_create(user=request.user)
    return render(request, "network/kumu.html", {"section": "network", "token": token})


@require_POST
@permission_required("network.use_kumu_token")
@transaction.atomic
def kumu_token_reset(request):
    KumuToken.objects.update_or_create(user=request.user, defaults={"token": new_token()})
    return redirect("network:kumu")
