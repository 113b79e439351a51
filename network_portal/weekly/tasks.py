"""Celery tasks of the weekly email: thin wrappers over ``services``."""

from celery import shared_task

from . import services


@shared_task
def send_weekly_emails():
    """Every few minutes (beat): owe the weekly emails whose send moment has passed, then send
    what is pending. Idempotent: run twice, or in two workers at once, it sends nothing twice.
    """
    return services.weekly_emails_run_due()
