"""Builders shared by the introduction and conversation tests."""

from connections import services
from connections.models import Introduction
from tests.factories import MemberFactory, UserFactory

MESSAGE = (
    "We run apprenticeships for young tailors in Dakar and would like to compare how you "
    "assess your apprentices."
)


def member_with_owner(**kwargs):
    """A listed, claimed profile taking introductions, and its owner (with a name)."""
    return MemberFactory(owner=UserFactory(), **kwargs)


def introduce(sender_user, recipient, message=MESSAGE):
    return services.introduction_send(user=sender_user, recipient=recipient, message=message)


def connect(sender_user, recipient):
    """An accepted introduction from ``sender_user``'s profile to ``recipient``: the
    conversation."""
    introduction = introduce(sender_user, recipient)
    return services.introduction_answer(
        introduction=introduction, user=recipient.owner, accept=True
    )


def pending_to(recipient):
    return Introduction.objects.filter(recipient=recipient, status="pending")
