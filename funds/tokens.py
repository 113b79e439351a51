"""Signed unsubscribe tokens: an email's link works without signing in, a forged one fails."""

from django.core import signing

SALT = "funds.alert.unsubscribe"


def unsubscribe_token(alert):
    """A token naming ``alert`` and its owner; it does not expire (old emails keep working).

    Not compressed: a payload this small never shrinks, so signing kept it as it was anyway
    (the tokens are the same), and trying cost more than the rest of an alert email.
    """
    return signing.dumps({"a": alert.pk, "u": alert.user_id}, salt=SALT)


def alert_for_token(token):
    """The alert a token names, or None when the token was tampered with or names nothing."""
    from .models import FundAlert

    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict):
        return None
    return FundAlert.objects.filter(pk=value.get("a"), user_id=value.get("u")).first()
