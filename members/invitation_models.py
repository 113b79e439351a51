"""Invitations for the call's applicants: rounds, personal links, their emails, suppressions.

An ``InvitationRound`` is one click of ILO staff; it holds one ``Invitation`` per imported,
unclaimed profile chosen (never two per round: a constraint), each with the personal link's
secret and its expiry. The emails are delivery rows (``network_portal/delivery.py``): the
invitation, due at once, and the reminder, due 14 days later and no longer owed once the profile
is claimed. ``EmailSuppression`` lists the addresses never to write to again: those that
unsubscribed (they have no account to change a setting in) and those the relay refused for good.

The funnel counts from timestamps: ``Member.created_at`` of imported profiles (imported),
``Invitation.created_at`` and ``InvitationEmail.sent_at`` (invited), ``Member.claimed_at`` and
``Invitation.accepted_at`` (claimed), ``NeedsAssessment.answered_at`` (assessment answered).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network_portal.delivery import Delivery

LINK_VALID_FOR = timedelta(days=30)
REMIND_AFTER = timedelta(days=14)


def _new_secret():
    return secrets.token_urlsafe(24)


class InvitationRound(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation round")
        verbose_name_plural = _("invitation rounds")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """One applicant invited in one round: the personal link's secret, expiry and use."""

    round = models.ForeignKey(
        InvitationRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("sent to"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    secret = models.CharField(max_length=64, default=_new_secret, editable=False, unique=True)
    created_at = models.DateTimeField(_("invited"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("link expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="one_invitation_per_round"),
        ]

    def __str__(self):
        return f"{self.member} ({self.round})"

    def save(self, *args, **kwargs):
        if self.expires_at is None:
            self.expires_at = self.created_at + LINK_VALID_FOR
        super().save(*args, **kwargs)


class InvitationEmail(Delivery):
    """An invitation or its reminder, sent once (see delivery.py)."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")

    invitation = models.ForeignKey(
        Invitation, verbose_name=_("invitation"), on_delete=models.CASCADE, related_name="emails"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation email")
        verbose_name_plural = _("invitation emails")
        constraints = [
            models.UniqueConstraint(fields=["invitation", "kind"], name="one_email_per_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.invitation}"


class EmailSuppression(models.Model):
    """An address the portal never invites again."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        REFUSED = "refused", _("Refused by the mail server")

    email = models.EmailField(_("email address"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="one_suppression_per_address"),
        ]

    def __str__(self):
        return self.email
