"""The emails of the connections app, each a ``ConnectionEmail`` row sent exactly once.

No email names anyone's address: the sender is the portal (``DEFAULT_FROM_EMAIL``), people are
named by ``User.display_name`` and their profile, and every email links back to the portal,
where the answer is written (no reply by email).
"""

from datetime import UTC, timedelta

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from network_portal import delivery
from network_portal.emails import absolute_url, build_email_for_user

from .models import ConnectionEmail, Introduction, Message, MessagePreference, Participant
from .unread import unread_messages_filter

# Messages an email for each message or a summary does not repeat once read in the portal.
NO_REPLY_HEADERS = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}


def _introduction_message(row):
    introduction = row.introduction
    if introduction.status != Introduction.Status.PENDING or introduction.sender is None:
        return None  # answered, withdrawn by a block, or the profile is gone
    page = absolute_url(introduction.get_absolute_url())
    return build_email_for_user(
        "connections_introduction",
        {
            "sender_name": introduction.sender_user.display_name
            if introduction.sender_user
            else introduction.sender.contact_name,
            "organization": introduction.sender.name,
            "profile_url": absolute_url(introduction.sender.get_absolute_url()),
            "introduction": introduction,
            "accept_url": f"{page}?answer=accept",
            "decline_url": f"{page}?answer=decline",
            "page_url": page,
        },
        user=row.recipient,
        headers=NO_REPLY_HEADERS,
    )


def _accepted_message(row):
    introduction = row.introduction
    if introduction.status != Introduction.Status.ACCEPTED:
        return None
    recipient = introduction.recipient
    conversation = introduction.conversation
    other = conversation.participants.exclude(user=row.recipient).first()
    return build_email_for_user(
        "connections_accepted",
        {
            "other_name": other.name if other else "",
            "organization": recipient.name if recipient else (other.organization if other else ""),
            "conversation_url": absolute_url(conversation.get_absolute_url()),
        },
        user=row.recipient,
        headers=NO_REPLY_HEADERS,
    )


def _new_message(row):
    message = row.message
    reader = message.conversation.participants.filter(user=row.recipient).first()
    if reader is None or reader.left_at is not None or reader.last_read_at >= message.created_at:
        return None  # left, or already read in the portal
    return build_email_for_user(
        "connections_message",
        {
            "author_name": message.author.name,
            "organization": message.author.organization,
            "message": message,
            "conversation_url": absolute_url(message.conversation.get_absolute_url()),
            "preferences_url": absolute_url(reverse("connections:index") + "#notifications"),
        },
        user=row.recipient,
        headers=NO_REPLY_HEADERS,
    )


def unread_conversations(user):
    """``user``'s conversations with unread messages, each with ``unread`` and the other
    side's ``other_name``; one query."""
    other = Participant.objects.filter(conversation=OuterRef("conversation")).exclude(
        pk=OuterRef("pk")
    )
    rows = (
        Participant.objects.filter(user=user, left_at__isnull=True)
        .annotate(
            unread=Count("conversation__messages", filter=unread_messages_filter()),
            other_name=Subquery(other.values("name")[:1]),
        )
        .filter(unread__gt=0)
        .select_related("conversation")
        .order_by("-conversation__last_message_at")
    )
    return list(rows)


def _summary_message(row):
    conversations = unread_conversations(row.recipient)
    if not conversations:
        return None
    return build_email_for_user(
        "connections_summary",
        {
            "conversations": [
                {
                    "name": participant.other_name,
                    "unread": participant.unread,
                    "url": absolute_url(participant.conversation.get_absolute_url()),
                }
                for participant in conversations
            ],
            "index_url": absolute_url(reverse("connections:index")),
            "preferences_url": absolute_url(reverse("connections:index") + "#notifications"),
        },
        user=row.recipient,
        headers=NO_REPLY_HEADERS,
    )


BUILDERS = {
    ConnectionEmail.Kind.INTRODUCTION: _introduction_message,
    ConnectionEmail.Kind.ACCEPTED: _accepted_message,
    ConnectionEmail.Kind.MESSAGE: _new_message,
    ConnectionEmail.Kind.SUMMARY: _summary_message,
}


def connection_message(row):
    """The email ``row`` owes, or None once it is no longer owed."""
    return BUILDERS[row.kind](row)


def connection_emails_send():
    """Send every pending connections email exactly once; safe in several workers at once."""
    return delivery.deliver(
        ConnectionEmail.objects.all(),
        connection_message,
        select_related=(
            "recipient",
            "introduction__sender",
            "introduction__recipient",
            "introduction__sender_user",
            "message__author",
            "message__conversation",
        ),
    )


def summaries_owe(*, now=None):
    """Owe today's summary to each person who chose one and has messages unread from the last
    day. Idempotent (one row per person and day). Returns how many rows are new."""
    now = now or timezone.now()
    since = now - timedelta(days=1)
    recent_unread = (
        Message.objects.filter(
            conversation=OuterRef("conversation"), created_at__gt=OuterRef("last_read_at")
        )
        .filter(created_at__gt=since)
        .exclude(author=OuterRef("pk"))
    )
    user_ids = (
        Participant.objects.filter(
            left_at__isnull=True,
            user__message_preference__notify=MessagePreference.Notify.DAILY,
        )
        .filter(Exists(recent_unread))
        .values_list("user_id", flat=True)
        .distinct()
    )
    today = now.astimezone(UTC).date()
    rows = [
        ConnectionEmail(kind=ConnectionEmail.Kind.SUMMARY, recipient_id=pk, summary_date=today)
        for pk in user_ids
    ]
    with transaction.atomic():
        before = ConnectionEmail.objects.filter(
            kind=ConnectionEmail.Kind.SUMMARY, summary_date=today
        ).count()
        ConnectionEmail.objects.bulk_create(rows, ignore_conflicts=True)
        after = ConnectionEmail.objects.filter(
            kind=ConnectionEmail.Kind.SUMMARY, summary_date=today
        ).count()
    return after - before
