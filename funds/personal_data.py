"""A person's data in the funds app: their files of "Download my data"
(``registry.ACCOUNT_DATA``) and what happens when their account (or profile) is deleted
(``accounts.signals.account_deleting``).
"""

from accounts.data import model_record
from accounts.signals import account_deleting
from network_portal import registry

from .models import Follow, FundAlert


def alerts_count(sender, *, user=None, **kwargs):
    """Receiver: the person's alerts and follows go with the user row (cascade); counted here."""
    if user is None:
        return {}
    return {
        "funds.alerts": FundAlert.objects.filter(user=user).count(),
        "funds.follows": Follow.objects.filter(user=user).count(),
    }


def follow_rows(*, user, **kwargs):
    """Download my data: the fund calls the person follows."""
    follows = Follow.objects.filter(user=user).select_related("call")
    return {
        "rows": [
            {"call": follow.call.title, "followed_since": follow.created_at.isoformat()}
            for follow in follows
        ]
    }


def alert_rows(*, user, **kwargs):
    """Download my data: the person's fund alert settings."""
    alerts = FundAlert.objects.filter(user=user).prefetch_related("categories")
    rows = []
    for alert in alerts:
        record = model_record(alert, exclude=("id", "user"))
        record["categories"] = [category.slug for category in alert.categories.all()]
        rows.append(record)
    return {"rows": rows}


def connect():
    account_deleting.connect(alerts_count, dispatch_uid="funds-alerts")
    registry.register(
        registry.ACCOUNT_DATA, name="follows", order=20, template="", context=follow_rows
    )
    registry.register(
        registry.ACCOUNT_DATA, name="alerts", order=21, template="", context=alert_rows
    )
