import re
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A login. The email address is the identifier; the profile lives in members.Member."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Emails from the portal are written in this language."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Deadlines and session times are shown in this time zone."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """How the portal names this person to anyone: never their email address.

        Their full name, else their profile's contact person, else "Member #<id>" (in the
        language of whoever reads it). Pages listing users select_related("member").
        """
        return self._own_name() or gettext("Member #%(number)s") % {"number": self.pk}

    def _own_name(self):
        """The full name, else the profile's contact person; "" when neither is a name."""
        names = [self.full_name]
        if not self.full_name.strip() and self.pk is not None:
            member = getattr(self, "member", None)
            names.append(member.contact_name if member else "")
        return next((name.strip() for name in names if _is_a_name(name)), "")

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        """How emails greet this person: a first name, else "Member #<id>" in their language."""
        name = self._own_name()
        if name:
            return name.split(" ")[0]
        with translation.override(self.preferred_language):
            return self.display_name


# An address typed where a name belongs would be shown to others: never use it.
_EMAIL_LIKE = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")


def _is_a_name(text):
    return bool(text.strip()) and not _EMAIL_LIKE.search(text)


class AccountDeletion(models.Model):
    """What staff see of a deleted account or profile: when, how, how many rows; no one's data.

    No name, no email address, no id of the person: only the date, who asked for it (the
    member themself, or staff on request for an imported profile never claimed) and how many
    rows each app removed or kept for others ("a former member").
    """

    class Kind(models.TextChoices):
        SELF = "self", _("Deleted by the member")
        STAFF = "staff", _("Removed by staff on request")

    deleted_at = models.DateTimeField(_("deleted at"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("how"), max_length=8, choices=Kind)
    counts = models.JSONField(
        _("rows"),
        default=dict,
        blank=True,
        help_text=_("How many rows each app removed, or kept for others without the name."),
    )

    class Meta:
        ordering = ["-deleted_at", "-pk"]
        verbose_name = _("account deletion")
        verbose_name_plural = _("account deletions")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.deleted_at:%Y-%m-%d}"
