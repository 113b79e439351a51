"""Writes of the accounts app: the end of an account."""

from django.db import transaction

from .models import AccountDeletion
from .signals import account_deleting


def deletion_counts(responses):
    """Merge the counts the ``account_deleting`` receivers returned, app by app."""
    counts = {}
    for _receiver, response in responses:
        for name, count in (response or {}).items():
            counts[name] = counts.get(name, 0) + count
    return {name: count for name, count in sorted(counts.items()) if count}


def account_delete(*, user, kind=AccountDeletion.Kind.SELF):
    """Delete ``user``'s account and everything of theirs that others do not need, at once.

    Each app handles ``account_deleting`` (its profile, registrations, follows, alerts leave;
    messages and posts stay for others, attributed to "a former member"), then the user row is
    deleted. Atomic: it all happens or nothing does. Sends no email. Returns the
    ``AccountDeletion`` log row (a date and counts, nothing that names the person).
    """
    with transaction.atomic():
        member = getattr(user, "member", None)
        responses = account_deleting.send(sender=type(user), user=user, member=member)
        counts = deletion_counts(responses)
        user.delete()
        counts["accounts"] = 1
        return AccountDeletion.objects.create(kind=kind, counts=counts)
