"""Emails owed to people, sent exactly once: claim, send, mark sent.

A concrete delivery model (a fund alert, a session reminder) subclasses ``Delivery`` and puts a
unique constraint on what must never be sent twice (subscriber, call, kind). Rows are created
idempotently (``bulk_create(..., ignore_conflicts=True)``), then ``deliver`` claims a batch under
row locks, sends it over one SMTP connection per chunk, and marks each row sent right after the
server accepts its message (on PostgreSQL, a thread commits the marks while the next email goes
out). A claim left unsent by a crash expires after ``LEASE`` and is sent again, so the only
duplicate possible is a crash between the server's acceptance and the mark. Anything due later
lives in the database (``due_at``), never as a countdown on Redis.
"""

import contextlib
import logging
import queue
import smtplib
import threading
import time
import uuid
from datetime import timedelta

import psycopg
from django.core.mail import get_connection
from django.db import DatabaseError, connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
# Renewed well before it lapses; one message is bounded by EMAIL_TIMEOUT, far below the lease.
RENEW_AFTER = LEASE / 3
MAX_ATTEMPTS = 6
CHUNK_SIZE = 200
# How long a sent mark may wait for the next ones, to share their commit. A crash in between sends
# those emails again, as a crash between a server's acceptance and any mark would; the database
# itself acknowledges commits before they reach the disk (synchronous_commit off) for far longer.
MARKS_GATHER = timedelta(milliseconds=20)


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


def send_claimed(
    model, claim_id, ids, build_message, *, marks, select_related=(), prefetch_related=()
):
    """Send the deliveries claimed under ``claim_id``; returns how many went out.

    ``build_message(delivery)`` returns an ``EmailMessage``, or None when the email is no longer
    owed (the person unsubscribed, the session was cancelled): the row is then closed unsent.
    A recipient the server refuses is given up; a transient error, or any error building one
    email, releases that row for a retry with backoff, and the others go on. The claim is
    renewed as the batch goes, so a slow server never lets another worker take rows still
    being sent. ``marks`` (a ``SentMarks``) records what the server accepted.
    """
    sent = 0
    rows = model.objects.filter(pk__in=ids, claim_id=claim_id, sent_at__isnull=True)
    rows = rows.select_related(*select_related).prefetch_related(*prefetch_related)
    deliveries = list(rows.order_by("pk"))
    try:
        connection = get_connection()
        connection.open()
    except (smtplib.SMTPException, OSError) as error:
        _release(model, claim_id, [d.pk for d in deliveries], error, count_attempt=False)
        return 0
    mine = {d.pk for d in deliveries}
    renewed_at = timezone.now()
    try:
        for index, delivery in enumerate(deliveries):
            if timezone.now() - renewed_at > RENEW_AFTER:
                mine, renewed_at = _renew(model, claim_id, deliveries[index:])
            if delivery.pk not in mine:
                continue  # the lease ran out and another worker owns this row now
            try:
                message = build_message(delivery)
                if message is None:
                    _give_up(model, claim_id, delivery.pk, "no longer owed")
                    continue
                message.connection = connection
                message.send()
            except smtplib.SMTPRecipientsRefused as error:
                _give_up(model, claim_id, delivery.pk, str(error))
            except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as error:
                # The connection is gone: release this one and everything not yet tried.
                rest = [d.pk for d in deliveries[index:]]
                _release(model, claim_id, rest, error, count_attempt=False)
                break
            except (smtplib.SMTPException, OSError) as error:
                _release(model, claim_id, [delivery.pk], error)
            except Exception as error:
                # A bug in one email (a template, an address) must not strand the batch.
                logger.exception("Building delivery %s %s failed", model.__name__, delivery.pk)
                _release(model, claim_id, [delivery.pk], error)
            else:
                marks.add(delivery.pk, claim_id)
                sent += 1
    finally:
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            logger.warning("SMTP connection did not close cleanly", exc_info=True)
    return sent


class SentMarks:
    """Records that the server accepted a delivery's email: the mark follows each send at once.

    On PostgreSQL, outside a transaction, a thread with a database connection of its own commits
    the marks while the sender is already on the next email, the marks of a few milliseconds
    (``MARKS_GATHER``) in one statement. Elsewhere (SQLite, a caller's open transaction) each
    mark is committed inline. ``close()`` returns once every mark is committed.
    """

    def __init__(self, model):
        self.model = model
        self.error = None
        meta = model._meta
        self._sent_at, self._claim_id = meta.get_field("sent_at"), meta.get_field("claim_id")
        self._table, self._pk = meta.db_table, meta.pk.column
        self._threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        self._queue = None

    def add(self, pk, claim_id):
        if self.error is not None:
            raise self.error
        if not self._threaded:
            self._write([(pk, claim_id)])
            return
        if self._queue is None:  # started by the first mark: a round with nothing to send has none
            self._queue = queue.SimpleQueue()
            self._thread = threading.Thread(target=self._run, name="sent-marks", daemon=True)
            self._thread.start()
        self._queue.put((pk, claim_id))

    def close(self):
        if self._queue is not None:
            self._queue.put(None)
            self._thread.join()
            self._queue = None
        if self.error is not None:
            raise self.error

    def _run(self):
        try:
            with _commits_without_waiting_for_disk():
                done = False
                while not done:
                    batch = [self._queue.get()]
                    # What else the server accepts in the next few milliseconds joins this commit.
                    until = time.monotonic() + MARKS_GATHER.total_seconds()
                    with contextlib.suppress(queue.Empty):
                        while batch[-1] is not None and len(batch) < CHUNK_SIZE:
                            batch.append(self._queue.get(timeout=max(until - time.monotonic(), 0)))
                    done = batch[-1] is None
                    if marks := [item for item in batch if item is not None]:
                        self._write(marks)
        except Exception as error:
            logger.exception("Marking %s rows sent failed", self.model.__name__)
            self.error = error
        finally:
            connection.close()  # this thread's own connection

    def _write(self, marks):
        """Mark ``(pk, claim_id)`` pairs sent, one statement per claim, in plain SQL: the ORM's
        ``update()`` costs more than the mark itself."""
        by_claim = {}
        for pk, claim_id in marks:
            by_claim.setdefault(claim_id, []).append(pk)
        quote = connection.ops.quote_name
        table, pk_column = quote(self._table), quote(self._pk)
        if self._threaded:
            # The thread's own PostgreSQL connection: a prepared statement, bound by the server.
            sql = (
                f"UPDATE {table} SET sent_at = %s, last_error = '' "  # noqa: S608
                f"WHERE {pk_column} = ANY(%s) AND claim_id = %s"
            )
            connection.ensure_connection()
            with psycopg.Cursor(connection.connection) as cursor:
                for claim_id, pks in by_claim.items():
                    cursor.execute(sql, [timezone.now(), pks, claim_id], prepare=True)
            return
        sent_at = self._sent_at.get_db_prep_value(timezone.now(), connection)
        with connection.cursor() as cursor:
            for claim_id, pks in by_claim.items():
                placeholders = ", ".join(["%s"] * len(pks))
                cursor.execute(
                    f"UPDATE {table} SET sent_at = %s, last_error = '' "  # noqa: S608
                    f"WHERE {pk_column} IN ({placeholders}) AND claim_id = %s",
                    [sent_at, *pks, self._claim_id.get_db_prep_value(claim_id, connection)],
                )


def _give_up(model, claim_id, pk, reason):
    """Close a row unsent for good: the email is no longer owed, or the server refused it."""
    model.objects.filter(pk=pk, claim_id=claim_id).update(
        failed_at=timezone.now(), last_error=reason[:500]
    )


def _renew(model, claim_id, deliveries):
    """Extend the claim on the rows not yet sent; returns the ids still ours and when."""
    now = timezone.now()
    ours = model.objects.filter(
        pk__in=[d.pk for d in deliveries], claim_id=claim_id, sent_at__isnull=True
    )
    ours.update(claimed_at=now)
    return set(ours.values_list("pk", flat=True)), now


def _release(model, claim_id, ids, error, *, count_attempt=True):
    """Hand rows back for a later try, after a backoff; give up after ``MAX_ATTEMPTS``.

    A failure of the SMTP server as a whole (down, connection lost) is not the rows' fault:
    it does not count as an attempt, so an outage delays email but never drops it.
    """
    logger.warning("Delivery of %s %s failed: %s", model.__name__, ids, error)
    now = timezone.now()
    for delivery in model.objects.filter(pk__in=ids, claim_id=claim_id, sent_at__isnull=True):
        attempts = delivery.attempts if count_attempt else max(delivery.attempts - 1, 0)
        if attempts >= MAX_ATTEMPTS:
            changes = {"failed_at": now}
        else:
            changes = {"due_at": now + retry_delay(max(attempts, 1))}
        model.objects.filter(pk=delivery.pk, claim_id=claim_id).update(
            claimed_at=None,
            claim_id=None,
            attempts=attempts,
            last_error=str(error)[:500],
            **changes,
        )


@contextlib.contextmanager
def _commits_without_waiting_for_disk():
    """Let each commit return before PostgreSQL flushes it to disk (``synchronous_commit off``).

    A sent mark is one commit per email; waiting for the disk there costs more than rendering
    and sending the email. The mark is visible to every other worker at once all the same; only
    a crash of the database server itself within a fraction of a second can lose it, and then
    the email goes out again after the lease: the duplicate this module already allows.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError:
            # A broken connection is closed by Django, and its setting goes with it.
            logger.warning("Could not reset synchronous_commit", exc_info=True)


def deliver(
    queryset,
    build_message,
    *,
    limit=CHUNK_SIZE,
    select_related=(),
    prefetch_related=(),
    max_batches=None,
):
    """Claim and send pending deliveries of ``queryset`` chunk by chunk until none are left.

    ``select_related`` and ``prefetch_related`` load what ``build_message`` reads; prefetch what
    many rows share (a fund call), so they share one object too.

    Idempotent: running it twice, or in two workers at once, sends each delivery once.
    """
    total = 0
    batches = 0
    with _commits_without_waiting_for_disk():
        marks = SentMarks(queryset.model)
        try:
            while max_batches is None or batches < max_batches:
                claim_id, ids = claim(queryset, limit=limit)
                if not ids:
                    break
                total += send_claimed(
                    queryset.model,
                    claim_id,
                    ids,
                    build_message,
                    select_related=select_related,
                    prefetch_related=prefetch_related,
                    marks=marks,
                )
                batches += 1
        finally:
            marks.close()
    return total
