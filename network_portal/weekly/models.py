"""A person's choice of weekly email, and the weekly emails owed: one per person and period."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network_portal.delivery import Delivery

from . import periods


class WeeklyEmail(models.Model):
    """When a person wants the weekly email: how often, and on which weekday (08:00 local).

    A user without a row gets none. ``chosen_at`` is when the frequency or weekday last
    changed: no email is owed for a send moment before it, and fortnights count from the week
    of ``anchor`` (its Monday, in the person's time zone then).
    """

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Once a month, on the first chosen weekday")
        NEVER = "never", _("Never")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="weekly_email",
    )
    frequency = models.CharField(
        _("how often"), max_length=12, choices=Frequency, default=Frequency.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(_("on"), choices=Weekday, default=Weekday.MONDAY)
    chosen_at = models.DateTimeField(_("chosen"), default=timezone.now)
    anchor = models.DateField(_("fortnights counted from the week of"), default=datetime.date.today)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("weekly email setting")
        verbose_name_plural = _("weekly email settings")
        ordering = ["user"]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=["weekly", "fortnightly", "monthly", "never"]),
                name="weeklyemail_frequency_valid",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="weeklyemail_weekday_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["frequency"],
                condition=~Q(frequency="never"),
                name="weeklyemail_subscribed",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_frequency_display()}"

    @property
    def is_subscribed(self):
        return self.frequency != self.Frequency.NEVER

    def choice(self, zone):
        """The arguments ``periods.latest_moment`` takes for this choice, in ``zone``."""
        return {
            "frequency": self.frequency,
            "weekday": self.weekday,
            "anchor": self.anchor,
            "zone": zone,
        }

    def next_moment(self, *, now=None):
        """When the next email may go out (None for "never"), for the settings page."""
        now = max(now or timezone.now(), self.chosen_at)
        zone = periods.zone_for(self.user.time_zone)
        for days in range(1, 70):  # moments are days apart: a daily step meets the next one
            moment = periods.latest_moment(
                now=now + datetime.timedelta(days=days), **self.choice(zone)
            )
            if moment is None:
                return None
            if moment.at > now:
                return moment.at
        return None


class WeeklyEmailDelivery(Delivery):
    """The weekly email owed to one person for one period (``period``: its key), sent once.

    ``since`` and ``until`` fix what the sections cover (new since, upcoming after ``until``),
    so a retry an hour later sends the same email.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    period = models.CharField(_("period"), max_length=10)
    since = models.DateTimeField(_("news since"))
    until = models.DateTimeField(_("news until"))

    class Meta:
        verbose_name = _("weekly email")
        verbose_name_plural = _("weekly emails")
        ordering = ["-until", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="weeklyemail_once_a_period"),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="weeklyemaildelivery_pending",
            ),
        ]

    def __str__(self):
        return f"{self.period} → {self.user}"
