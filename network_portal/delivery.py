"""Emails owed to people, sent exactly once: claim, send, mark sent.

A concrete delivery model (a fund alert, a session reminder, an approval notice) subclasses
``Delivery`` and puts a unique constraint on what must never be sent twice. Rows are created
idempotently (``bulk_create(..., ignore_conflicts=True)``) in the transaction that owes them;
``deliver`` then claims a batch with ``select_for_update(skip_locked=True)``, sends each email
over one SMTP connection and marks its row sent as soon as the server accepts it, all through
the ORM on the worker's one database connection. More workers share the rows, never the same
one. A claim left by a crash expires after ``LEASE`` and is sent again, so the only duplicate
possible is a crash between the server's acceptance and the mark; each email's Message-ID is
fixed by its row, so mail stores can drop that copy.

What the SMTP server answers decides what happens to a row:

- accepted: sent;
- 5xx (the recipient or the message is refused for good): given up;
- 4xx to one recipient (RCPT): retried with backoff, given up after ``DEFER_FOR``;
- the server as a whole unavailable (no connection, timeout, 421, 4xx at MAIL or DATA):
  the batch is postponed by ``OUTAGE_DELAY`` without counting an attempt, so an outage
  delays email and never drops it;
- anything else (a bug building one email, a claim that died) counts an attempt; after
  ``MAX_ATTEMPTS`` the row is given up. Every row ends sent or given up.
"""

import logging
import smtplib
import uuid
from datetime import timedelta

from django.apps import apps
from django.core.mail import get_connection
from django.db import models, transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .emails import delivery_message_id

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
# Renewed well before it lapses; one message is bounded by EMAIL_TIMEOUT, far below the lease.
RENEW_AFTER = LEASE / 3
MAX_ATTEMPTS = 6
CHUNK_SIZE = 200
OUTAGE_DELAY = timedelta(minutes=1)
DEFER_FOR = timedelta(hours=24)
# Due and unsent for longer than this: the admin lists the row as stalled.
STALLED_AFTER = timedelta(minutes=15)
# Why a row closed unsent because its email was no longer owed: not a failure to list or retry.
NOT_OWED = "No longer owed"


def retry_delay(attempts):
    """Back off 1, 2, 4, 8… minutes after a failure, capped at an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


class Delivery(models.Model):
    due_at = models.DateTimeField(_("due"), default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    claim_id = models.UUIDField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    deferred_since = models.DateTimeField(_("deferred by the server since"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True


def delivery_models():
    """Every concrete delivery model of the installed apps."""
    return [model for model in apps.get_models() if issubclass(model, Delivery)]


def _unclaimed(now):
    """Held by no live claim: never claimed, or claimed longer than ``LEASE`` ago."""
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE)


def pending(queryset, *, now=None):
    """Deliveries due and owed: not sent, not given up, not held by a live claim."""
    now = now or timezone.now()
    return queryset.filter(
        _unclaimed(now),
        sent_at__isnull=True,
        failed_at__isnull=True,
        due_at__lte=now,
    )


def claim(queryset, *, limit=CHUNK_SIZE, now=None):
    """Claim up to ``limit`` pending deliveries; returns ``(claim_id, ids)``.

    Rows locked by another worker are skipped, never waited for, so two workers running the same
    task split the work. A row whose claims died ``MAX_ATTEMPTS`` times is given up here.
    """
    now = now or timezone.now()
    claim_id = uuid.uuid4()
    model = queryset.model
    while True:
        with transaction.atomic():
            rows = list(
                pending(queryset, now=now)
                .order_by("due_at", "pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", "attempts")[:limit]
            )
            exhausted = [pk for pk, attempts in rows if attempts >= MAX_ATTEMPTS]
            ids = [pk for pk, attempts in rows if attempts < MAX_ATTEMPTS]
            if exhausted:
                model.objects.filter(pk__in=exhausted).update(
                    failed_at=now,
                    claimed_at=None,
                    claim_id=None,
                    last_error=f"Given up after {MAX_ATTEMPTS} tries that never finished",
                )
            if ids:
                model.objects.filter(pk__in=ids).update(
                    claimed_at=now, claim_id=claim_id, attempts=F("attempts") + 1
                )
        if ids or not exhausted:
            return claim_id, ids


PERMANENT, DEFERRED, OUTAGE = "permanent", "deferred", "outage"


def smtp_failure(error):
    """What an SMTP error means for the row: PERMANENT, DEFERRED (this recipient, later) or
    OUTAGE (the server as a whole, for now). smtplib raises ``SMTPRecipientsRefused`` for 4xx
    answers too, and closes the connection on a 421 wherever it comes."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        if 421 in codes:
            return OUTAGE
        return PERMANENT if codes and all(code >= 500 for code in codes) else DEFERRED
    if isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500:
        return PERMANENT
    return OUTAGE  # 4xx at MAIL or DATA, a lost connection, a timeout


def _send_batch(model, claim_id, ids, build_message, *, select_related, prefetch_related):
    """Send the deliveries claimed under ``claim_id``; returns ``(sent, server_unavailable)``."""
    rows = model.objects.filter(pk__in=ids, claim_id=claim_id, sent_at__isnull=True)
    rows = rows.select_related(*select_related).prefetch_related(*prefetch_related)
    deliveries = list(rows.order_by("pk"))
    connection = get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as error:
        _postpone(model, claim_id, deliveries, error)
        return 0, True
    sent = 0
    mine, renewed_at = {row.pk for row in deliveries}, timezone.now()
    try:
        for index, row in enumerate(deliveries):
            if timezone.now() - renewed_at > RENEW_AFTER:
                mine, renewed_at = _renew(model, claim_id, deliveries[index:])
            if row.pk not in mine:
                continue  # the lease ran out and another worker owns this row now
            try:
                message = build_message(row)
            except Exception as error:
                # A bug in one email (a template, an address) must not strand the batch.
                logger.exception("Building %s %s failed", model.__name__, row.pk)
                _release(model, claim_id, row, error)
                continue
            if message is None:
                _give_up(model, claim_id, row, NOT_OWED)
                continue
            message.extra_headers["Message-ID"] = delivery_message_id(row)
            message.connection = connection
            try:
                message.send()
            except (smtplib.SMTPException, OSError) as error:
                failure = smtp_failure(error)
                if failure == PERMANENT:
                    _give_up(model, claim_id, row, str(error))
                elif failure == DEFERRED:
                    _defer(model, claim_id, row, error)
                else:
                    _postpone(model, claim_id, deliveries[index:], error)
                    return sent, True
            else:
                model.objects.filter(pk=row.pk, claim_id=claim_id).update(
                    sent_at=timezone.now(), last_error=""
                )
                sent += 1
    finally:
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            logger.warning("SMTP connection did not close cleanly", exc_info=True)
    return sent, False


def _renew(model, claim_id, deliveries):
    """Extend the claim on the rows not yet sent; returns the ids still ours and when."""
    now = timezone.now()
    ours = model.objects.filter(
        pk__in=[row.pk for row in deliveries], claim_id=claim_id, sent_at__isnull=True
    )
    ours.update(claimed_at=now)
    return set(ours.values_list("pk", flat=True)), now


def _unclaim(model, claim_id, rows, error, **changes):
    # An email no longer owed is the normal end of many rows (an empty weekly email): no alarm.
    level = logging.INFO if error == NOT_OWED else logging.WARNING
    logger.log(level, "Delivery of %s %s: %s", model.__name__, [row.pk for row in rows], error)
    model.objects.filter(pk__in=[row.pk for row in rows], claim_id=claim_id).update(
        claimed_at=None, claim_id=None, last_error=str(error)[:500], **changes
    )


def _give_up(model, claim_id, row, reason):
    """Close a row unsent for good: the email is no longer owed, or the server refused it."""
    _unclaim(model, claim_id, [row], reason, failed_at=timezone.now())


def _postpone(model, claim_id, rows, error):
    """The server is unavailable: try again soon; not the rows' fault, so no attempt counts."""
    _unclaim(
        model,
        claim_id,
        rows,
        error,
        attempts=F("attempts") - 1,
        due_at=timezone.now() + OUTAGE_DELAY,
    )


def _defer(model, claim_id, row, error):
    """The server asked to try this recipient later: back off, give up after ``DEFER_FOR``."""
    now = timezone.now()
    since = row.deferred_since or now
    if now - since >= DEFER_FOR:
        _unclaim(model, claim_id, [row], error, failed_at=now)
        return
    # Waits about as long as the deferral has lasted: 1, 1, 2, 4… minutes, at most an hour.
    wait = min(max(now - since, timedelta(minutes=1)), timedelta(hours=1))
    _unclaim(
        model,
        claim_id,
        [row],
        error,
        attempts=F("attempts") - 1,
        deferred_since=since,
        due_at=now + wait,
    )


def _release(model, claim_id, row, error):
    """Hand a row back for a later try after a backoff; give up after ``MAX_ATTEMPTS``."""
    now = timezone.now()
    if row.attempts >= MAX_ATTEMPTS:
        _unclaim(model, claim_id, [row], error, failed_at=now)
    else:
        _unclaim(model, claim_id, [row], error, due_at=now + retry_delay(row.attempts))


def deliver(queryset, build_message, *, limit=CHUNK_SIZE, select_related=(), prefetch_related=()):
    """Claim and send pending deliveries of ``queryset`` batch by batch until none are left.

    ``build_message(row)`` returns an ``EmailMessage``, or None when the email is no longer
    owed (the person unsubscribed, the session was cancelled): the row is then closed unsent.
    ``select_related`` and ``prefetch_related`` load what it reads. Stops early while the SMTP
    server is unavailable. Idempotent: running it twice, or in two workers at once, sends each
    delivery once. Returns how many emails the server accepted.
    """
    total = 0
    while True:
        claim_id, ids = claim(queryset, limit=limit)
        if not ids:
            return total
        sent, server_unavailable = _send_batch(
            queryset.model,
            claim_id,
            ids,
            build_message,
            select_related=select_related,
            prefetch_related=prefetch_related,
        )
        total += sent
        if server_unavailable:
            return total


def retry(queryset):
    """Give failed or stalled deliveries a fresh start: due now, attempts reset. Returns how many.

    For the admin, once the cause is fixed; pass ``troubled`` rows, so that a row already sent
    or being sent is never sent again.
    """
    return queryset.filter(sent_at__isnull=True).update(
        due_at=timezone.now(),
        failed_at=None,
        claimed_at=None,
        claim_id=None,
        attempts=0,
        deferred_since=None,
    )


def troubled(queryset, *, now=None):
    """Rows unsent and given up, or due for longer than ``STALLED_AFTER`` and held by no live
    claim (stalled); a row a worker is sending right now is neither, nor one closed because its
    email was no longer owed (an unsubscribe, a weekly email with nothing in it)."""
    now = now or timezone.now()
    return queryset.filter(sent_at__isnull=True).filter(
        (Q(failed_at__isnull=False) & ~Q(last_error=NOT_OWED))
        | (Q(due_at__lt=now - STALLED_AFTER) & _unclaimed(now))
    )


def oldest_unsent_age(*, now=None):
    """Seconds since the oldest email that is due and unsent fell due (0 when none): a worker
    that has stopped sending shows here."""
    now = now or timezone.now()
    oldest = [
        model.objects.filter(
            sent_at__isnull=True, failed_at__isnull=True, due_at__lte=now
        ).aggregate(oldest=Min("due_at"))["oldest"]
        for model in delivery_models()
    ]
    oldest = [moment for moment in oldest if moment is not None]
    return round((now - min(oldest)).total_seconds()) if oldest else 0
