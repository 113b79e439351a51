"""Signed unsubscribe tokens for the weekly email: the link works without signing in."""

from django.core import signing

SALT = "weekly.email.unsubscribe"


def unsubscribe_token(setting):
    """A token naming ``setting`` and its owner; it does not expire (old emails keep working)."""
    return signing.dumps({"w": setting.pk, "u": setting.user_id}, salt=SALT)


def setting_for_token(token):
    """The setting a token names, or None when the token was tampered with or names nothing."""
    from .models import WeeklyEmail

    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict):
        return None
    return (
        WeeklyEmail.objects.select_related("user")
        .filter(pk=value.get("w"), user_id=value.get("u"))
        .first()
    )
