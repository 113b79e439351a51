"""Celery tasks of the connections app: thin wrappers over ``connections.similarity``."""

from celery import shared_task
from django.db import OperationalError

from members.models import Member

from . import documents, emails, similarity

SWEEP_BATCH = 500


@shared_task(autoretry_for=(OperationalError,), retry_backoff=10, max_retries=5)
def refresh_member_neighbours(member_id):
    """Recompute one member's neighbours if its matching fields changed; idempotent."""
    return similarity.neighbours_refresh(member_id=member_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=10, max_retries=5)
def refresh_neighbours_batch(member_ids):
    """Recompute the neighbours of a batch of members (the sweep's unit of work); idempotent."""
    return similarity.neighbours_refresh_many(member_ids)


@shared_task
def sweep_neighbours(batch_size=SWEEP_BATCH):
    """The nightly sweep: every document, exact lexeme counts, then neighbours in batches.

    Documents are refreshed here (only changed ones are written); the neighbours of each batch
    of ``batch_size`` members are a task of their own, so several workers share the work.
    """
    member_ids = list(Member.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(member_ids), batch_size):
        documents.documents_refresh(member_ids[start : start + batch_size], count_lexemes=False)
    documents.lexeme_counts_rebuild()
    for start in range(0, len(member_ids), batch_size):
        refresh_neighbours_batch.delay(member_ids[start : start + batch_size])
    return len(member_ids)


@shared_task
def send_connection_emails():
    """After an introduction, an answer or a message, and every minute (beat): send each
    pending connections email exactly once. Idempotent, safe in several workers at once."""
    return emails.connection_emails_send()


@shared_task
def send_daily_summaries():
    """Daily (beat): owe each person who chose it a summary of their unread messages, then
    send what is pending. Idempotent: one summary per person and day."""
    emails.summaries_owe()
    return emails.connection_emails_send()
