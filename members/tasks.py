"""Celery tasks of the members app: thin wrappers over members.services."""

from celery import shared_task

from . import approvals, services


@shared_task
def send_member_notices():
    """After an approval and every minute (beat): send each pending approval email once, and
    any approvers' summary still owed (a worker down at the daily run catches up here).

    Idempotent: delivered twice, or run in two workers at once, it sends nothing twice.
    """
    return services.member_notices_send() + approvals.approval_summaries_send()


@shared_task
def send_approval_summaries():
    """Daily (beat): owe each approver one summary of the profiles awaiting approval, when any
    do, and send it. Idempotent: one email per approver per day however often it runs."""
    approvals.approval_summaries_create()
    return approvals.approval_summaries_send()


@shared_task
def send_invitations():
    """After an invitation round and every five minutes (beat): send each invitation and each
    reminder that is due, once. Idempotent, safe in two workers at once."""
    from . import invitations

    return invitations.invitations_send()
