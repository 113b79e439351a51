"""Emails owed to people, sent exactly once: claim, send, mark sent.

A concrete delivery model (a fund alert, a session reminder) subclasses ``Delivery`` and puts a
unique constraint on what must never be sent twice (subscriber, call, kind). Rows are created
idempotently (``bulk_create(..., ignore_conflicts=True)``), then ``deliver`` claims a batch under
row locks, sends it over one SMTP connection per chunk, and marks each row sent right after the
server accepts its message. A claim left unsent by a crash expires after ``LEASE`` and is sent
again, so the only duplicate possible is a crash between the server's acceptance and the mark.
Anything due later lives in the database (``due_at``), never as a countdown on Redis.
"""

import logging
import smtplib
import uuid
from datetime import timedelta

from django.core.mail import get_connection
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 6
CHUNK_SIZE = 200


def retry_delay(attempts):
    """Back off 1, 2, 4, 8… minutes after a transient failure, capped at an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


class Delivery(models.Model):
    due_at = models.DateTimeField(_("due"), default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    claim_id = models.UUIDField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True


def pending(queryset, *, now=None):
    """Deliveries due and owed: not sent, not given up, not held by a live claim."""
    now = now or timezone.now()
    return queryset.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE),
        sent_at__isnull=True,
        failed_at__isnull=True,
        due_at__lte=now,
        # A row whose claims keep dying (a crash while rendering it) is not retried forever.
        attempts__lt=MAX_ATTEMPTS,
    )


def claim(queryset, *, limit=CHUNK_SIZE, now=None):
    """Claim up to ``limit`` pending deliveries; returns ``(claim_id, ids)``.

    Rows locked by another worker are skipped, never waited for, so two workers running the same
    task split the work instead of sending it twice.
    """
    now = now or timezone.now()
    claim_id = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            pending(queryset, now=now)
            .order_by("due_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            queryset.model.objects.filter(pk__in=ids).update(
                claimed_at=now, claim_id=claim_id, attempts=F("attempts") + 1
            )
    return claim_id, ids


def send_claimed(model, claim_id, ids, build_message, *, select_related=()):
    """Send the deliveries claimed under ``claim_id``; returns how many went out.

    ``build_message(delivery)`` returns an ``EmailMessage``, or None when the email is no longer
    owed (the person unsubscribed, the session was cancelled): the row is then closed unsent.
    A recipient the server refuses is given up; a transient error releases the row for a retry
    with backoff, and the others go on.
    """
    sent = 0
    rows = model.objects.filter(pk__in=ids, claim_id=claim_id, sent_at__isnull=True)
    deliveries = list(rows.select_related(*select_related).order_by("pk"))
    try:
        connection = get_connection()
        connection.open()
    except (smtplib.SMTPException, OSError) as error:
        _release(model, claim_id, [d.pk for d in deliveries], error)
        return 0
    try:
        for delivery in deliveries:
            mine = model.objects.filter(pk=delivery.pk, claim_id=claim_id)
            try:
                message = build_message(delivery)
                if message is None:
                    mine.update(failed_at=timezone.now(), last_error="no longer owed")
                    continue
                message.connection = connection
                message.send()
            except smtplib.SMTPRecipientsRefused as error:
                mine.update(failed_at=timezone.now(), last_error=str(error)[:500])
            except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as error:
                # The connection is gone: release this one and everything not yet tried.
                rest = [d.pk for d in deliveries if d.pk >= delivery.pk]
                _release(model, claim_id, rest, error)
                break
            except (smtplib.SMTPException, OSError) as error:
                _release(model, claim_id, [delivery.pk], error)
            else:
                mine.update(sent_at=timezone.now(), last_error="")
                sent += 1
    finally:
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            logger.warning("SMTP connection did not close cleanly", exc_info=True)
    return sent


def _release(model, claim_id, ids, error):
    """Hand rows back for a later try, after a backoff; give up after ``MAX_ATTEMPTS``."""
    logger.warning("Delivery of %s %s failed: %s", model.__name__, ids, error)
    now = timezone.now()
    for delivery in model.objects.filter(pk__in=ids, claim_id=claim_id, sent_at__isnull=True):
        if delivery.attempts >= MAX_ATTEMPTS:
            changes = {"failed_at": now}
        else:
            changes = {"due_at": now + retry_delay(delivery.attempts)}
        model.objects.filter(pk=delivery.pk, claim_id=claim_id).update(
            claimed_at=None, claim_id=None, last_error=str(error)[:500], **changes
        )


def deliver(queryset, build_message, *, limit=CHUNK_SIZE, select_related=(), max_batches=None):
    """Claim and send pending deliveries of ``queryset`` chunk by chunk until none are left.

    Idempotent: running it twice, or in two workers at once, sends each delivery once.
    """
    total = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        claim_id, ids = claim(queryset, limit=limit)
        if not ids:
            break
        total += send_claimed(
            queryset.model, claim_id, ids, build_message, select_related=select_related
        )
        batches += 1
    return total
