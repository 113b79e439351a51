"""A person's data in the connections app: their files of "Download my data"
(``registry.ACCOUNT_DATA``) and what happens when their account (or profile) is deleted
(``accounts.signals.account_deleting``).
"""

from accounts.signals import account_deleting
from network_portal import registry

from .models import Message, Participant, Report


def conversations_anonymize(sender, *, user=None, **kwargs):
    """Receiver: the others keep their conversations; the person's side becomes "a former member".

    The messages they wrote stay (the other side's history); the name and organization kept on
    their side are blanked, and the user link goes with the user row (``SET_NULL``). A report
    about one of their messages keeps its copied text for staff, without the name. Their
    similar-members rows go with the profile (cascade).
    """
    if user is None:
        return {}
    participations = Participant.objects.filter(user=user)
    kept = Message.objects.filter(author__user=user).count()
    anonymized = participations.update(name="", organization="")
    Report.objects.filter(author=user).update(author_name="")
    return {"connections.messages_kept": kept, "connections.conversations": anonymized}


def message_rows(*, user, **kwargs):
    """Download my data: the messages the person wrote (never what the other side wrote)."""
    messages = Message.objects.filter(author__user=user).order_by("created_at", "pk")
    return {
        "rows": [
            {
                "conversation": message.conversation_id,
                "sent": message.created_at.isoformat(),
                "message": message.body,
            }
            for message in messages
        ]
    }


def connect():
    account_deleting.connect(conversations_anonymize, dispatch_uid="connections-conversations")
    registry.register(
        registry.ACCOUNT_DATA, name="messages", order=40, template="", context=message_rows
    )
