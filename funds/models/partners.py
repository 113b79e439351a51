"""Partner requests: a member applying to a call looks for partners to apply with.

A request is open while its call is open (published, deadline ahead), until its own
``open_until`` if set, and until its poster closes it; nothing needs a task to close it, because
``PartnerRequestQuerySet.open`` compares with the call each time it is read.
"""

from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from members.models import Member
from members.regions import region_for_country

from .calls import FundCall, contains_slug, validate_regions


def validate_countries(value):
    if not isinstance(value, list) or not set(value) <= set(dict(countries)):
        raise ValidationError(_("Choose countries from the list."))


@cache
def country_codes_in(region):
    """The ISO codes of the countries of ``region``, as django-countries knows them."""
    codes = []
    for code, _name in countries:
        try:
            if region_for_country(code) == region:
                codes.append(code)
        except ValueError:
            continue
    return tuple(sorted(codes))


class PartnerRequestQuerySet(models.QuerySet):
    def open(self, *, now=None):
        """Requests one may still answer: call open, not past ``open_until``, not closed, shown."""
        now = now or timezone.now()
        return self.filter(
            Q(open_until__isnull=True) | Q(open_until__gt=now),
            call__status=FundCall.Status.PUBLISHED,
            call__deadline__gt=now,
            closed_at__isnull=True,
            hidden_at__isnull=True,
        )

    def visible_to(self, user):
        """The requests ``user`` may read: the one place that decides it.

        Partner search is for members: visitors see none. Signed-in users see the requests of
        the profiles they may see (``Member.objects.visible_to``) on calls they may see, except
        those moderators hid; a poster always sees their own.
        """
        if not user.is_authenticated:
            return self.none()
        shown = Q(
            hidden_at__isnull=True,
            member__in=Member.objects.visible_to(user),
            call__in=FundCall.objects.visible_to(user),
        )
        return self.filter(shown | Q(user=user))

    def wanting_partners_from(self, region):
        """Requests looking for partners in ``region``: naming it, one of its countries, or none."""
        anywhere = Q(regions=[], countries=[])
        named = contains_slug("regions", region)
        for code in country_codes_in(region):
            named |= contains_slug("countries", code)
        return self.filter(anywhere | named)

    def wanting_partners_like(self, member):
        """Requests ``member`` could answer: a shared category, partners wanted from its place."""
        through = PartnerRequest.categories.through.objects.filter(
            category__in=member.categories.all()
        )
        place = (
            Q(regions=[], countries=[])
            | contains_slug("regions", member.region)
            | contains_slug("countries", str(member.country))
        )
        return self.filter(place, pk__in=through.values("partnerrequest_id"))

    def for_list(self):
        """What a list of requests shows, in a fixed number of queries."""
        return self.select_related("call", "member", "user").prefetch_related("categories")


class PartnerRequest(models.Model):
    """ "We are applying to this call and look for partners": posted by a member."""

    class Role(models.TextChoices):
        LEAD = "lead-applicant", _("Lead applicant")
        CO_APPLICANT = "co-applicant", _("Co-applicant")
        IMPLEMENTING = "implementing-partner", _("Implementing partner")
        EXPERT = "expert", _("Expert")

    call = models.ForeignKey(
        FundCall, verbose_name=_("call"), on_delete=models.CASCADE, related_name="partner_requests"
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("posted for"),
        on_delete=models.CASCADE,
        related_name="partner_requests",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.CASCADE,
        related_name="partner_requests",
    )
    role = models.CharField(_("role sought"), max_length=30, choices=Role)
    regions = models.JSONField(
        _("regions wanted"),
        default=list,
        blank=True,
        validators=[validate_regions],
        help_text=_("Leave regions and countries empty to welcome partners from anywhere."),
    )
    countries = models.JSONField(
        _("countries wanted"), default=list, blank=True, validators=[validate_countries]
    )
    categories = models.ManyToManyField(
        "categories.Category",
        verbose_name=_("skills categories"),
        related_name="partner_requests",
    )
    offer = models.TextField(_("what we bring"), max_length=2000)
    seeking = models.TextField(_("what we seek"), max_length=2000)
    open_until = models.DateTimeField(
        _("open until"),
        null=True,
        blank=True,
        help_text=_("Empty: open until the call's deadline."),
    )
    closed_at = models.DateTimeField(_("closed by its poster"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden by moderators"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("posted"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PartnerRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("partner request")
        verbose_name_plural = _("partner requests")
        indexes = [models.Index(fields=["call", "created_at"], name="partnerrequest_call_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    role__in=["lead-applicant", "co-applicant", "implementing-partner", "expert"]
                ),
                name="partnerrequest_role_valid",
            ),
            models.CheckConstraint(
                condition=~Q(offer="") & ~Q(seeking=""),
                name="partnerrequest_says_what",
                violation_error_message=_("Say what you bring and what you seek."),
            ),
            models.CheckConstraint(
                condition=Q(hidden_by__isnull=True) | Q(hidden_at__isnull=False),
                name="partnerrequest_hidden_by_when_hidden",
            ),
            # A double click posts once; a hidden request still counts (no way round moderation).
            models.UniqueConstraint(
                fields=["call", "member", "role"],
                condition=Q(closed_at__isnull=True),
                name="one_unclosed_partner_request_per_role",
                violation_error_message=_(
                    "You already look for this role on this call: edit that request instead."
                ),
            ),
            # "At most the call's deadline" reads another table: a trigger checks it (PostgreSQL,
            # in the migration that creates this model); the form says it to the poster.
        ]

    def __str__(self):
        return _("%(member)s on “%(call)s”") % {"member": self.member, "call": self.call}

    def get_absolute_url(self):
        return reverse("funds:partner_detail", args=[self.pk])

    @property
    def closes_at(self):
        """When the request stops taking answers: its own date or the call's deadline."""
        if self.open_until is None:
            return self.call.deadline
        return min(self.open_until, self.call.deadline)

    def is_open(self, *, now=None):
        now = now or timezone.now()
        return (
            self.closed_at is None
            and self.hidden_at is None
            and self.call.is_open(now=now)
            and (self.open_until is None or self.open_until > now)
        )

    def can_edit(self, user):
        """The poster edits and closes their own request; moderators hide it in the admin."""
        return user.is_authenticated and user.pk == self.user_id

    @property
    def country_names(self):
        return [countries.name(code) for code in self.countries]
