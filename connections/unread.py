"""What waits for a person: unread messages and introductions to answer.

The navigation's badge shows it on every page of a signed-in user, so pages read it from the
cache only, never the database: the count is written to the cache (one query) whenever it
changes (a message or an introduction arrives, the person reads or answers, leaves or blocks)
and when they open ``/connections/``. A cache that lost it, or does not answer, shows no badge.
"""

import logging
from functools import partial

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

logger = logging.getLogger(__name__)

BADGE_SECONDS = 7 * 24 * 3600


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


def _counted(queryset, group_by, **count):
    (name,) = count
    return Coalesce(
        Subquery(queryset.values(group_by).annotate(**count).values(name)[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def waiting_count(user):
    """Unread messages plus introductions awaiting ``user``'s answer, in one query."""
    from .models import Introduction, Participant

    participants = Participant.objects.filter(user=OuterRef("pk"), left_at__isnull=True)
    introductions = Introduction.objects.filter(
        recipient__owner=OuterRef("pk"), status=Introduction.Status.PENDING
    )
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            unread=_counted(
                participants,
                "user",
                n=Count("conversation__messages", filter=unread_messages_filter()),
            ),
            waiting=_counted(introductions, "recipient", n=Count("pk")),
        )
        .values("unread", "waiting")
        .first()
    )
    return (row["unread"] + row["waiting"]) if row else 0


def _key(user_id):
    return f"connections:waiting:{user_id}"


def badge_count(user):
    """The cached count for ``user``'s badge, or None when the cache does not hold it."""
    try:
        return cache.get(_key(user.pk))
    except Exception:  # any cache backend's connection error: no badge, never a broken page
        logger.warning("Cache unavailable for the connections badge", exc_info=True)
        return None


def badge_refresh(user_ids):
    """Count again (one query each) and cache the badge of each of ``user_ids``."""
    user_model = get_user_model()
    for user_id in {pk for pk in user_ids if pk is not None}:
        count = waiting_count(user_model(pk=user_id))
        try:
            cache.set(_key(user_id), count, BADGE_SECONDS)
        except Exception:
            logger.warning("Cache unavailable for the connections badge", exc_info=True)
            return


def badge_refresh_after_commit(user_ids):
    transaction.on_commit(partial(badge_refresh, list(user_ids)))
