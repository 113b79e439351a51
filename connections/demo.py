"""Similar members for ``manage.py seed_demo``: every demo profile gets its neighbours.

Idempotent: a profile whose matching fields did not change since its neighbours were computed
keeps them, so a second run writes nothing.
"""

from .similarity import neighbours_rebuild


def seed(rng):
    """Compute the neighbours of every member (``rng`` is unused: nothing here is invented)."""
    return neighbours_rebuild(force=False)
