"""The members' graph: who sees which nodes, its layout and metrics (networkx), and the cache.

Edges are connections (accepted introductions, ``Introduction.objects.connections()``) and, as a
second kind, co-hosting a coaching session. The graph is built once per audience (visitors,
members, staff) from the profiles that audience may see, so no figure (a degree, a path length)
ever counts a profile hidden from it. ``build`` runs in the Celery task (``tasks``), never in a
request; pages read ``cached(audience)``.

Above ``SAMPLE_ABOVE`` members the costly figures are estimated from ``PIVOTS`` sampled members:
betweenness (networkx's own ``k`` pivots), closeness, diameter and average path length (from
the breadth-first searches of those pivots). The page says so (``summary["sampled"]``).
"""

import math
import random
from collections import Counter
from itertools import combinations

import networkx as nx
from django.core.cache import cache
from django.utils import timezone

from coaching.models import CoachingSession
from connections.models import Introduction
from members.models import Member

VISITORS, MEMBERS, STAFF = "visitors", "members", "staff"
AUDIENCES = (VISITORS, MEMBERS, STAFF)
CONNECTION, COHOST = "connection", "co-host"
SAMPLE_ABOVE = 2000
PIVOTS = 200
SEED = 13
WIDTH, HEIGHT = 1000, 700
CACHE_KEY = "network:graph:{}"
DIRTY_KEY = "network:dirty"


def audience_for(user):
    """Which of the three graphs ``user`` sees: the directory's own rule (``visible_to``)."""
    if not user.is_authenticated:
        return VISITORS
    if user.has_perm("members.approve_member"):
        return STAFF
    return MEMBERS


def audience_members(audience):
    """The profiles an audience sees (a member's own unlisted profile is left out of the
    shared graph)."""
    if audience == VISITORS:
        return Member.objects.filter(
            status=Member.Status.LISTED, owner__isnull=False, is_public=True
        )
    if audience == MEMBERS:
        return Member.objects.listed()
    return Member.objects.all()


def edges_between(member_ids):
    """``{(a, b): kind}`` with a < b, between the given members; a connection wins over
    co-hosting when two members have both."""
    ids = set(member_ids)
    edges = {}
    hosts = CoachingSession.hosts.through.objects.filter(member_id__in=ids).values_list(
        "coachingsession_id", "member_id"
    )
    by_session = {}
    for session_id, member_id in hosts:
        by_session.setdefault(session_id, set()).add(member_id)
    for members in by_session.values():
        for a, b in combinations(sorted(members), 2):
            edges[(a, b)] = COHOST
    pairs = Introduction.objects.connections().values_list("sender_id", "recipient_id")
    for a, b in pairs.filter(sender_id__in=ids, recipient_id__in=ids):
        if a != b:
            edges[(min(a, b), max(a, b))] = CONNECTION
    return edges


def main_categories(member_ids):
    """Each member's first category (in the categories' own order): its colour when the graph
    is coloured by category. ``{member_id: slug}``."""
    ids = set(member_ids)
    rows = (
        Member.categories.through.objects.filter(member_id__in=ids)
        .order_by("member_id", "category__position", "category__name")
        .values_list("member_id", "category__slug")
    )
    first = {}
    for member_id, slug in rows:
        first.setdefault(member_id, slug)
    return first


def networkx_graph(member_ids, edges):
    graph = nx.Graph()
    graph.add_nodes_from(member_ids)
    for (a, b), kind in edges.items():
        graph.add_edge(a, b, kind=kind)
    return graph


def _pivot_distances(graph, pivots):
    """Shortest path lengths from each pivot: ``{pivot: {node: distance}}``."""
    return {p: nx.single_source_shortest_path_length(graph, p) for p in pivots}


def _closeness_from(distances, graph):
    """Closeness estimated from the pivots' distances (undirected: d(p, v) = d(v, p)), with
    networkx's Wasserman-Faust correction for graphs in several pieces."""
    n = graph.number_of_nodes()
    size_of = {}
    for component in nx.connected_components(graph):
        for node in component:
            size_of[node] = len(component)
    sums, reached = Counter(), Counter()
    for from_pivot in distances.values():
        for node, d in from_pivot.items():
            if d:
                sums[node] += d
                reached[node] += 1
    return {
        node: ((size_of[node] - 1) / (n - 1)) / (sums[node] / reached[node])
        if reached[node]
        else 0.0
        for node in graph
    }


def metrics(graph):
    """Per-member figures and network-wide ones, exact up to ``SAMPLE_ABOVE`` members."""
    n = graph.number_of_nodes()
    sampled = n > SAMPLE_ABOVE
    distances = None
    if sampled:
        betweenness = nx.betweenness_centrality(graph, k=PIVOTS, seed=SEED)
        pivots = random.Random(SEED).sample(sorted(graph), PIVOTS)
        distances = _pivot_distances(graph, pivots)
        closeness = _closeness_from(distances, graph)
    else:
        betweenness = nx.betweenness_centrality(graph)
        closeness = nx.closeness_centrality(graph)
    try:
        eigenvector = nx.eigenvector_centrality(graph, max_iter=1000, tol=1e-6)
    except (nx.PowerIterationFailedConvergence, nx.NetworkXException):
        eigenvector = dict.fromkeys(graph, 0.0)
    reach = {}
    for node in graph:
        near = set(graph[node])
        for neighbour in graph[node]:
            near.update(graph[neighbour])
        near.discard(node)
        reach[node] = len(near)
    communities = (
        nx.community.louvain_communities(graph, seed=SEED) if graph.number_of_edges() else []
    )
    # Numbered from the largest; a member without connections is in no community (0).
    community_of = {}
    number = 0
    for group in sorted(communities, key=lambda c: (-len(c), min(c))):
        if len(group) < 2:
            continue
        number += 1
        for node in group:
            community_of[node] = number

    nodes = {
        node: {
            "degree": graph.degree(node),
            "betweenness": betweenness.get(node, 0.0),
            "closeness": closeness.get(node, 0.0),
            "eigenvector": eigenvector.get(node, 0.0),
            "reach": reach[node],
            "community": community_of.get(node, 0),
        }
        for node in graph
    }
    diameter, average_path = _paths(graph, distances)
    edges = graph.number_of_edges()
    summary = {
        "members": n,
        "edges": edges,
        "connections": sum(1 for *_e, kind in graph.edges(data="kind") if kind == CONNECTION),
        "cohosts": sum(1 for *_e, kind in graph.edges(data="kind") if kind == COHOST),
        "density": nx.density(graph) if n > 1 else 0.0,
        "average_degree": 2 * edges / n if n else 0.0,
        "diameter": diameter,
        "average_path_length": average_path,
        "communities": number,
        "sampled": sampled,
        "pivots": PIVOTS if sampled else None,
    }
    return nodes, summary


def _paths(graph, distances=None):
    """Diameter and average shortest path length of the largest connected part; estimated
    from the pivots' ``distances`` (those inside that part) when given."""
    if graph.number_of_edges() == 0:
        return 0, 0.0
    largest = max(nx.connected_components(graph), key=len)
    if distances is None:
        part = graph.subgraph(largest)
        return nx.diameter(part), nx.average_shortest_path_length(part)
    total = count = diameter = 0
    for pivot, from_pivot in distances.items():
        if pivot not in largest:
            continue
        diameter = max(diameter, max(from_pivot.values()))
        total += sum(from_pivot.values())
        count += len(from_pivot) - 1
    return diameter, (total / count if count else 0.0)


def layout(graph, community_of):
    """Positions in a WIDTH x HEIGHT box: each community laid out on its own (spring layout),
    the communities packed in rows from the largest, members without connections in a grid
    at the end. Deterministic for the same graph."""
    groups = {}
    for node in sorted(graph):
        groups.setdefault(community_of.get(node, 0), []).append(node)
    blocks = []
    for number in sorted(groups, key=lambda c: (c == 0, -len(groups[c]), c)):
        members = groups[number]
        if number == 0:
            side = math.ceil(math.sqrt(len(members)))
            local = {m: ((i % side) / side, (i // side) / side) for i, m in enumerate(members)}
        elif len(members) <= 400:
            positions = nx.spring_layout(graph.subgraph(members), seed=SEED, iterations=40)
            local = _unit_box(positions)
        else:
            local = _unit_box(nx.circular_layout(members))
        blocks.append((math.sqrt(len(members)), local))

    # Shelf packing of squares of side ∝ √size, then scaled into the box.
    row_width = max(sum(size for size, _local in blocks), 1) ** 0.5 * 3
    x = y = row_height = 0.0
    placed = []
    for size, local in blocks:
        if x and x + size > row_width:
            x, y, row_height = 0.0, y + row_height * 1.15, 0.0
        placed.append((x, y, size, local))
        x += size * 1.15
        row_height = max(row_height, size)
    total_width = max((px + size for px, _py, size, _l in placed), default=1) or 1
    total_height = max((py + size for _px, py, size, _l in placed), default=1) or 1
    scale = min((WIDTH - 40) / total_width, (HEIGHT - 40) / total_height)
    positions = {}
    for px, py, size, local in placed:
        for node, (lx, ly) in local.items():
            # Whole units of a 1000-wide box: precise enough, and a lighter page.
            positions[node] = (
                round(20 + (px + lx * size * 0.9) * scale),
                round(20 + (py + ly * size * 0.9) * scale),
            )
    return positions


def _unit_box(positions):
    xs = [float(p[0]) for p in positions.values()]
    ys = [float(p[1]) for p in positions.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {
        node: ((float(p[0]) - min(xs)) / span_x, (float(p[1]) - min(ys)) / span_y)
        for node, p in positions.items()
    }


def build(audience, *, previous=None):
    """Compute and cache the graph of ``audience``; returns what it cached.

    ``previous``: what ``build`` returned for another audience; when it saw the same members
    (so the same edges), its computation is reused instead of repeated."""
    rows = list(audience_members(audience).order_by("pk").values_list("pk", "country"))
    member_ids = [pk for pk, _country in rows]
    if previous is not None and previous["member_ids"] == member_ids:
        cache.set(CACHE_KEY.format(audience), previous, timeout=None)
        return previous
    edges = edges_between(member_ids)
    graph = networkx_graph(member_ids, edges)
    nodes, summary = metrics(graph)
    positions = layout(graph, {node: figures["community"] for node, figures in nodes.items()})
    for node, (x, y) in positions.items():
        nodes[node]["x"], nodes[node]["y"] = x, y
    for node, category in main_categories(member_ids).items():
        nodes[node]["category"] = category
    data = {
        "nodes": nodes,
        "edges": [(a, b, kind) for (a, b), kind in sorted(edges.items())],
        "summary": summary,
        "computed_at": timezone.now(),
        "member_ids": member_ids,
        # Members per country, for the home page's map (no query there).
        "countries": dict(Counter(str(country) for _pk, country in rows if country)),
    }
    cache.set(CACHE_KEY.format(audience), data, timeout=None)
    return data


def cached(audience):
    """The last graph computed for ``audience``, or None (the task has not run yet)."""
    return cache.get(CACHE_KEY.format(audience))


def mark_dirty():
    """Ask for a new computation: the beat's ``refresh_graph`` picks it up within a minute, so
    a burst of changes costs one computation."""
    cache.set(DIRTY_KEY, True, timeout=None)
