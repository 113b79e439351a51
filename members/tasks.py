"""Celery tasks of the members app: thin wrappers over members.services."""

from celery import shared_task

from . import services


@shared_task
def send_member_notices():
    """After an approval and every minute (beat): send each pending approval email once.

    Idempotent: delivered twice, or run in two workers at once, it sends nothing twice.
    """
    return services.member_notices_send()
