"""Celery tasks of the members app: thin wrappers over members.services."""

import smtplib

from celery import shared_task

from . import services


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=6,
)
def member_approved_notify(member_id):
    """Tell the owner their profile is listed; sends nothing if it no longer applies."""
    return services.member_approval_notify(member_id=member_id)
