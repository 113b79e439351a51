"""Celery tasks of the discussions app: thin wrappers over ``discussions.services``."""

from celery import shared_task

from . import services


@shared_task
def send_discussion_emails():
    """After a post and every few minutes (beat): send pending discussion emails, each once.

    Idempotent: run twice, or in two workers at once, it sends nothing twice.
    """
    return services.discussion_emails_send()
