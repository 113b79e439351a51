"""What members want to hear about calls: alerts for new calls and reminders, and follows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .calls import FundCall, validate_regions

REMINDER_DAYS = (14, 7, 1)


class FundAlert(models.Model):
    """What a person wants to hear about: new calls, and reminders before deadlines."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("As soon as a call is published")
        WEEKLY = "weekly", _("In my weekly email")
        NEVER = "never", _("Never: only deadline reminders")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="fund_alert",
    )
    categories = models.ManyToManyField(
        "categories.Category",
        verbose_name=_("skills categories"),
        related_name="+",
        blank=True,
        help_text=_("None chosen: every category."),
    )
    regions = models.JSONField(
        _("regions"),
        default=list,
        blank=True,
        validators=[validate_regions],
        help_text=_("None chosen: calls open to any region."),
    )
    frequency = models.CharField(
        _("new calls"), max_length=10, choices=Frequency, default=Frequency.IMMEDIATE
    )
    remind_14 = models.BooleanField(_("14 days before the deadline"), default=False)
    remind_7 = models.BooleanField(_("7 days before the deadline"), default=True)
    remind_1 = models.BooleanField(_("1 day before the deadline"), default=True)
    remind_matching = models.BooleanField(
        _("also remind me of every call matching this alert, not only those I follow"),
        default=False,
    )
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("fund alert")
        verbose_name_plural = _("fund alerts")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=["immediate", "weekly", "never"]),
                name="fundalert_frequency_valid",
            ),
        ]

    def __str__(self):
        return str(self.user)

    @property
    def is_active(self):
        return self.unsubscribed_at is None

    def reminds(self, days):
        return getattr(self, f"remind_{days}", False)


class Follow(models.Model):
    """A member keeps an eye on a call: it appears under /funds/following/ and gets reminders."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="fund_follows",
    )
    call = models.ForeignKey(
        FundCall, verbose_name=_("call"), on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(_("followed since"), auto_now_add=True)

    class Meta:
        verbose_name = _("followed call")
        verbose_name_plural = _("followed calls")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "call"], name="follow_once_per_call"),
        ]

    def __str__(self):
        return f"{self.user} → {self.call}"
