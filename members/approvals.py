"""The approvers' daily summary: one email a day to each person who may approve profiles,
listing the profiles awaiting approval, only on days when some are waiting."""

from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from network_portal import delivery
from network_portal.emails import absolute_url, build_email_for_user

from .models import ApprovalSummary, Member
from .services import APPROVE_PERMISSION

# The summary names this many profiles, oldest first, and counts the rest.
LISTED_IN_SUMMARY = 20


def approvers():
    """Active users who may approve profiles: through a group, their own permissions, or as
    superusers (Django's permission backend decides, as ``has_perm`` does)."""
    return ModelBackend().with_perm(APPROVE_PERMISSION, is_active=True, include_superusers=True)


def approval_summaries_create(*, now=None):
    """Owe each approver today's summary when a profile awaits approval; returns how many rows
    were new. Idempotent: one row per approver and (UTC) day, whatever the number of runs."""
    now = now or timezone.now()
    if not Member.objects.filter(status=Member.Status.PENDING).exists():
        return 0
    day = now.date()
    with transaction.atomic():
        already = set(
            ApprovalSummary.objects.filter(day=day).values_list("recipient_id", flat=True)
        )
        rows = [
            ApprovalSummary(recipient_id=pk, day=day, due_at=now)
            for pk in approvers().values_list("pk", flat=True)
            if pk not in already
        ]
        ApprovalSummary.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def summary_message(summary):
    """Today's summary for one approver; None once nothing waits or they may no longer approve."""
    recipient = summary.recipient
    if not recipient.is_active or not recipient.has_perm(APPROVE_PERMISSION):
        return None
    pending = Member.objects.filter(status=Member.Status.PENDING)
    count = pending.count()
    if count == 0:
        return None
    members = [
        {"member": member, "url": absolute_url(member.get_absolute_url())}
        for member in pending.order_by("created_at", "pk")[:LISTED_IN_SUMMARY]
    ]
    return build_email_for_user(
        "member_approvals_waiting",
        {
            "count": count,
            "members": members,
            "more": count - len(members),
            "admin_url": absolute_url(
                reverse("admin:members_member_changelist") + "?status__exact=pending"
            ),
        },
        user=recipient,
        headers={"Auto-Submitted": "auto-generated"},
    )


def approval_summaries_send(*, limit=delivery.CHUNK_SIZE):
    """Send each pending summary exactly once; safe to run twice or in two workers."""
    return delivery.deliver(
        ApprovalSummary.objects.all(),
        summary_message,
        limit=limit,
        select_related=("recipient",),
    )
