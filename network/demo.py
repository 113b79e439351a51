"""The demo's graph: computed once the other apps have seeded their members, connections and
sessions (``seed_demo`` calls ``seed`` last), so ``make run`` shows it at once."""

from .tasks import refresh_graph


def seed(rng):
    refresh_graph(force=True)
