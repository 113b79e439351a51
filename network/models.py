"""The Kumu feed's secret addresses: one resettable token per staff user."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token():
    return secrets.token_urlsafe(32)


class KumuToken(models.Model):
    """Adds members-only profiles to the Kumu feed; resetting it stops the old one at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="kumu_token",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("Kumu feed token")
        verbose_name_plural = _("Kumu feed tokens")
        permissions = [
            ("view_network_metrics", _("Can see every member's network metrics")),
            ("use_kumu_token", _("Can have a Kumu feed token (members-only profiles)")),
        ]

    def __str__(self):
        return str(self.user)
