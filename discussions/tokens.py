"""Signed unsubscribe tokens, one per follow: an email's link works without signing in."""

from django.core import signing

SALT = "discussions.follow.unsubscribe"


def unsubscribe_token(follow):
    """A token naming ``follow`` and its owner; it does not expire (old emails keep working)."""
    return signing.dumps({"f": follow.pk, "u": follow.user_id}, salt=SALT)


def token_payload(token):
    """What a genuine token names (``{"f": follow, "u": user}``), or None for a forged one."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, dict) else None


def follow_for_token(token):
    """The follow a token names, or None when it was tampered with or the follow has gone."""
    from .models import Follow

    value = token_payload(token)
    if value is None:
        return None
    return (
        Follow.objects.filter(pk=value.get("f"), user_id=value.get("u"))
        .select_related("thread__category", "category")
        .first()
    )
