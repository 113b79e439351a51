"""The secret address of each person's calendar feed."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of a person's calendar feed; resetting it stops the old one at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("coaching:feed", args=[self.token])
