"""Celery tasks of the funds app: thin wrappers over ``funds.services``."""

from celery import shared_task

from . import services


@shared_task
def send_fund_emails():
    """After a publish or a rejection: send the pending fund emails, each exactly once.

    Idempotent: delivered twice, or run in two workers at once, it sends nothing twice.
    """
    return services.fund_emails_send()


@shared_task
def send_due_fund_alerts():
    """Every few minutes (beat): owe the deadline reminders now due, then send what is pending.

    Idempotent; anything due days from now waits in the database, never on the broker.
    """
    return services.fund_alerts_run_due()
