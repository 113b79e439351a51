"""Writes of the connections app."""

from .models import DismissedSuggestion


def suggestion_dismiss(*, user, member):
    """Never suggest ``member`` to ``user`` again; idempotent. Returns the dismissal."""
    dismissal, _created = DismissedSuggestion.objects.get_or_create(user=user, member=member)
    return dismissal
