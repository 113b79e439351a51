"""The graph's computation, in the worker: ``refresh_graph`` runs every minute from the beat
and recomputes only when something changed (``graph.mark_dirty``) or nothing is cached."""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from . import graph, statistics

RUNNING_KEY = "network:running"
RUNNING_TIMEOUT = 30 * 60  # a worker lost mid-computation blocks the next ones this long at most


@shared_task
def refresh_graph(force=False):
    stale = (
        force
        or cache.get(graph.DIRTY_KEY)
        or any(graph.cached(audience) is None for audience in graph.AUDIENCES)
    )
    if not stale:
        return False
    # One computation at a time: a slow one is not overtaken by the next minute's.
    if not cache.add(RUNNING_KEY, True, timeout=RUNNING_TIMEOUT):
        return False
    try:
        # Cleared first: a change during the computation marks it again for the next run.
        cache.delete(graph.DIRTY_KEY)
        previous = None
        for audience in graph.AUDIENCES:
            previous = graph.build(audience, previous=previous)
    finally:
        cache.delete(RUNNING_KEY)
    return True


@shared_task
def refresh_graph_nightly():
    """Recompute even when nothing marked the graph: bulk writes (imports) send no signal."""
    return refresh_graph(force=True)


@shared_task
def refresh_statistics():
    """Keep the statistics page's default range (the last twelve months) computed in every
    language: the beat runs it more often than the figures expire (``statistics.TIMEOUT``), so
    nobody opening the page waits for the cold computation (seconds at 100,000 members)."""
    start, end = statistics.default_range()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            statistics.statistics_refresh(start, end)
