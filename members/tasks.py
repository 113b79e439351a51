"""Celery tasks of the members app: thin wrappers over members.services."""

from celery import shared_task

from . import services


@shared_task
def send_member_notices():
    """After an approval and every minute (beat): send each pending approval email once.

    Idempotent: delivered twice, or run in two workers at once, it sends nothing twice.
    """
    return services.member_notices_send()


@shared_task
def send_invitations():
    """After an invitation round and every five minutes (beat): send each invitation and each
    reminder that is due, once. Idempotent, safe in two workers at once."""
    from . import invitations

    return invitations.invitations_send()
