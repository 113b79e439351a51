"""The emails owed about calls: one row per email, sent exactly once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network_portal.delivery import Delivery

from .calls import FundCall


class FundCallDelivery(Delivery):
    """An email about one call owed to one person, at most once per kind."""

    class Kind(models.TextChoices):
        NEW_CALL = "new-call", _("New call")
        REMINDER_14 = "reminder-14", _("Reminder, 14 days left")
        REMINDER_7 = "reminder-7", _("Reminder, 7 days left")
        REMINDER_1 = "reminder-1", _("Reminder, 1 day left")
        SUGGESTION_PUBLISHED = "suggestion-published", _("Suggestion published")
        SUGGESTION_REJECTED = "suggestion-rejected", _("Suggestion rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    call = models.ForeignKey(
        FundCall, verbose_name=_("call"), on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind)

    class Meta:
        verbose_name = _("fund call email")
        verbose_name_plural = _("fund call emails")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "call", "kind"], name="fundcalldelivery_once_per_kind"
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="fundcalldelivery_pending",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.call} → {self.user}"

    @staticmethod
    def reminder_kind(days):
        return f"reminder-{days}"
