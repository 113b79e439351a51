"""The directory page's counts (members found, and per category, region, country, language).

Counting 100,000 members takes several full scans per page. The page therefore keeps each
count in the cache, under who is looking and which filters are applied, until a member
changes: any save, deletion or change of categories or languages (``changed``) starts a new
generation, and entries of older generations are never read again. Counts inside a
transaction are computed and not kept: they may include what the transaction has not
committed. Bulk writes send no signals; their counts last at most ``TIMEOUT`` seconds.

Only the page uses these counts; the API and the export count the rows themselves.
"""

import functools
import hashlib
import uuid
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connections, transaction
from django.utils import translation
from django_countries import countries

from .models import Member
from .regions import Region

GENERATION_KEY = "members:directory-generation"
TIMEOUT = 600
NO_COUNTS = {"total": 0, "category": {}, "region": {}, "country": {}, "language": {}}


def audience(user):
    """Who sees the same profiles as ``user``: visitors, members, those who approve, or one user.

    A signed-in user also sees their own profile while it awaits approval, so they get counts
    of their own. Reading ``user.member`` fills the cache the page's navigation reads as well.
    """
    if not user.is_authenticated:
        return "visitors"
    if user.has_perm("members.approve_member"):
        return "approvers"
    own = getattr(user, "member", None)
    if own is not None and own.status != Member.Status.LISTED:
        return f"user-{user.pk}"
    return "members"


def page_counts(filterset, *, who):
    """The counts shown by the page of ``filterset`` (bound to the profiles ``who`` may see)."""
    if filterset.is_bound and not filterset.is_valid():
        return NO_COUNTS
    if connections[filterset.queryset.db].in_atomic_block:
        return filterset.page_counts()
    filters = urlencode(sorted(filterset.active_filters().items()), doseq=True)
    digest = hashlib.sha256(f"{who}?{filters}".encode()).hexdigest()
    key = f"members:directory-counts:{_generation()}:{digest}"
    counts = cache.get(key)
    if counts is None:
        counts = filterset.page_counts()
        cache.set(key, counts, TIMEOUT)
    return counts


def _generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY, generation)
    return generation


def _new_generation():
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def changed(sender, action=None, **kwargs):
    """Signal receiver: a member changed, so counts computed before it are stale.

    After the commit, so that no page counts the old rows under the new generation. Of a
    many-to-many change, only what follows it counts (``post_add``…), not what precedes it.
    """
    if action is not None and action.startswith("pre_"):
        return
    transaction.on_commit(_new_generation, robust=True)


@functools.lru_cache(maxsize=8)
def _labels(language):
    return {
        "type": {value: str(label) for value, label in Member.Type.choices},
        "region": {value: str(label) for value, label in Region.choices},
        "country": {code: str(name) for code, name in countries},
    }


def labels():
    """Type, region and country labels in the active language, translated once per process."""
    return _labels(translation.get_language())
