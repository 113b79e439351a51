"""Emails owed to participants, each sent exactly once (see network_portal.delivery)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network_portal.delivery import Delivery

from .sessions import Registration


class SessionReminder(Delivery):
    """A reminder owed to a registered person, 24 hours or 1 hour before the start.

    Unique per registration, kind and start time: repeated beat runs never create a second row,
    and a session moved to another time earns fresh reminders for the new time.
    """

    class Kind(models.TextChoices):
        DAY_BEFORE = "24h", _("24 hours before")
        HOUR_BEFORE = "1h", _("1 hour before")

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind)
    session_start = models.DateTimeField(_("for the start at"))

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("session reminder")
        verbose_name_plural = _("session reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind", "session_start"], name="one_reminder_per_kind"
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="reminder_pending_idx",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.registration_id}"


class SessionNotice(Delivery):
    """An email about a change: the session moved or was cancelled, a seat became free, the
    person registered (a confirmation) or gave up their seat.

    ``version`` is the session's sequence (changes, cancellations) or the registration's revision
    (promotions, confirmations, seats given up), so a change is announced once however often
    the sender runs.
    """

    class Kind(models.TextChoices):
        UPDATED = "updated", _("Session changed")
        CANCELLED = "cancelled", _("Session cancelled")
        PROMOTED = "promoted", _("Seat from the waitlist")
        REGISTERED = "registered", _("Registration confirmed")
        LEFT = "left", _("Registration cancelled by the member")

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    version = models.PositiveIntegerField(_("version"))

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("session notice")
        verbose_name_plural = _("session notices")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind", "version"], name="one_notice_per_change"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.registration_id}"
