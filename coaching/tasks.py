"""Celery tasks of the coaching app: thin wrappers over ``coaching.services``."""

from celery import shared_task

from . import services


@shared_task
def send_session_reminders():
    """Every minute: create the reminders now due and send each exactly once (idempotent)."""
    return services.reminders_send()


@shared_task
def send_session_notices():
    """After a change and every minute: send pending change, cancellation and seat emails once."""
    return services.notices_send()


@shared_task
def generate_series_sessions():
    """Hourly: create the coming occurrences of every active series (idempotent)."""
    return services.series_generate_all()
