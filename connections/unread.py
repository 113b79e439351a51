"""What waits for a person: unread messages and introductions to answer.

The navigation's badge shows it on every page, so it is cached per person (one query on a
miss) and forgotten whenever it changes: a message arrives or is read, an introduction arrives
or is answered. A cache that does not answer costs the query, never the page.
"""

import logging
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Q

logger = logging.getLogger(__name__)

BADGE_SECONDS = 600


def unread_messages_filter():
    """A ``Count`` filter over ``conversation__messages`` for a ``Participant`` queryset: the
    messages of others written after the participant last read the conversation."""
    return Q(conversation__messages__created_at__gt=F("last_read_at")) & ~Q(
        conversation__messages__author_id=F("pk")
    )


def with_unread(participants):
    """``participants`` annotated with ``unread``, their unread messages."""
    return participants.annotate(
        unread=Count("conversation__messages", filter=unread_messages_filter())
    )


def waiting_count(user):
    """Unread messages plus introductions awaiting ``user``'s answer, in one query."""
    from .models import Introduction, Participant

    waiting = Introduction.objects.filter(
        recipient__owner=user, status=Introduction.Status.PENDING
    ).values("pk")
    return (
        Participant.objects.filter(user=user, left_at__isnull=True).aggregate(
            unread=Count("conversation__messages", filter=unread_messages_filter())
        )["unread"]
        or 0
    ) + waiting.count()


def _key(user_id):
    return f"connections:waiting:{user_id}"


def badge_count(user):
    """``waiting_count(user)`` from the cache when it holds it."""
    try:
        cached = cache.get(_key(user.pk))
    except Exception:  # any cache backend's connection error: count without it
        logger.warning("Cache unavailable for the connections badge", exc_info=True)
        return waiting_count(user)
    if cached is not None:
        return cached
    count = waiting_count(user)
    try:
        cache.set(_key(user.pk), count, BADGE_SECONDS)
    except Exception:
        logger.warning("Cache unavailable for the connections badge", exc_info=True)
    return count


def forget(user_ids):
    """Drop the cached badge of each of ``user_ids`` (None ignored)."""
    keys = [_key(pk) for pk in user_ids if pk is not None]
    if not keys:
        return
    try:
        cache.delete_many(keys)
    except Exception:
        logger.warning("Cache unavailable: connections badges not cleared", exc_info=True)


def forget_after_commit(user_ids):
    transaction.on_commit(partial(forget, list(user_ids)))
