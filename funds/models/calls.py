"""Fund calls curated by the ILO and the Core Group, and the history of their moves."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import validate_time_zone
from funds.formats import amount_number
from members.models import Member
from members.regions import Region

MODERATE_PERMISSION = "funds.moderate_fundcall"


def validate_regions(value):
    if not isinstance(value, list) or not set(value) <= set(Region.values):
        raise ValidationError(_("Choose regions from the list."))


def validate_member_types(value):
    if not isinstance(value, list) or not set(value) <= set(Member.Type.values):
        raise ValidationError(_("Choose member types from the list."))


def contains_slug(field, slug):
    """``field`` (a JSON list of slugs) holds ``slug``; portable to SQLite, unlike ``contains``."""
    # Slugs are [a-z-] only, so the quoted form cannot match inside another slug.
    return Q(**{f"{field}__icontains": f'"{slug}"'})


class FundCallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=FundCall.Status.PUBLISHED)

    def open(self, *, now=None):
        """Published calls whose deadline is ahead: a call leaves by itself at its deadline."""
        return self.published().filter(deadline__gt=now or timezone.now())

    def closed(self, *, now=None):
        """Calls the public may still read but no longer apply to."""
        return self.filter(
            Q(status=FundCall.Status.CLOSED)
            | Q(status=FundCall.Status.PUBLISHED, deadline__lte=now or timezone.now())
        )

    def visible_to(self, user):
        """The calls ``user`` may open: the one place that decides it.

        Everyone sees published and closed calls; curators see every call; a member also sees
        the calls they suggested, whatever became of them.
        """
        public = Q(status__in=[FundCall.Status.PUBLISHED, FundCall.Status.CLOSED])
        if not user.is_authenticated:
            return self.filter(public)
        if user.has_perm(MODERATE_PERMISSION):
            return self.all()
        return self.filter(public | Q(suggested_by=user))

    def in_region(self, region):
        """Calls open to applicants from ``region``: those naming it, and global ones."""
        return self.filter(Q(eligible_regions=[]) | contains_slug("eligible_regions", region))

    def in_categories(self, categories):
        """Calls in any of ``categories`` (a queryset or list of categories)."""
        through = FundCall.categories.through.objects.filter(category__in=categories)
        return self.filter(pk__in=through.values("fundcall_id"))

    def matching_member(self, member):
        """Calls for ``member``'s categories and open to its region."""
        return self.in_categories(member.categories.all()).in_region(member.region)

    def with_followed(self, user):
        """Annotate ``is_followed``: whether ``user`` follows each call."""
        if not user.is_authenticated:
            return self.annotate(is_followed=models.Value(False))
        from .alerts import Follow  # alerts.py imports this module: resolve it when called

        follows = Follow.objects.filter(call=OuterRef("pk"), user=user)
        return self.annotate(is_followed=Exists(follows))

    def with_partner_request_counts(self, user):
        """Annotate ``partner_request_count``: the open partner requests ``user`` may read."""
        if not user.is_authenticated:  # partner search is for members
            return self.annotate(partner_request_count=models.Value(0))
        from .partners import PartnerRequest  # partners.py imports this module

        requests = (
            PartnerRequest.objects.visible_to(user)
            .open()
            .filter(call=OuterRef("pk"))
            .order_by()
            .values("call")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(partner_request_count=Coalesce(Subquery(requests), 0))


class FundCall(models.Model):
    """A funding opportunity or challenge call, curated before the network sees it."""

    class SourceType(models.TextChoices):
        ILO = "ilo", _("ILO and its constituents")
        MULTILATERAL = "multilateral", _("Multilateral organization")
        GOVERNMENT = "government", _("Government programme")
        FOUNDATION = "foundation", _("Foundation")
        IMPACT_BOND = "impact-bond", _("Social impact bond")
        CROWDFUNDING = "crowdfunding", _("Crowdfunding")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested, awaiting review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    # The only moves a call may make; FundCall.transition enforces them.
    TRANSITIONS = {
        Status.SUGGESTED: {Status.PUBLISHED, Status.REJECTED},
        Status.PUBLISHED: {Status.CLOSED, Status.ARCHIVED},
        Status.CLOSED: {Status.PUBLISHED, Status.ARCHIVED},
        Status.REJECTED: {Status.SUGGESTED, Status.ARCHIVED},
        Status.ARCHIVED: set(),
    }

    title = models.CharField(_("title"), max_length=200)
    funder = models.CharField(_("funder"), max_length=200)
    source_type = models.CharField(_("source type"), max_length=20, choices=SourceType)
    description = models.TextField(_("description"))
    link = models.URLField(_("link to the call"), max_length=500)
    categories = models.ManyToManyField(
        "categories.Category", verbose_name=_("skills categories"), related_name="fund_calls"
    )
    eligible_regions = models.JSONField(
        _("eligible regions"),
        default=list,
        blank=True,
        validators=[validate_regions],
        help_text=_("Leave empty for a call open to the whole world."),
    )
    eligible_member_types = models.JSONField(
        _("eligible types of applicant"),
        default=list,
        blank=True,
        validators=[validate_member_types],
        help_text=_("Leave empty when any type of organization may apply."),
    )
    amount_min = models.DecimalField(
        _("minimum amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount_max = models.DecimalField(
        _("maximum amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code, such as USD or EUR.")
    )
    amount_text = models.CharField(
        _("amount, in words"),
        max_length=200,
        blank=True,
        help_text=_("When the funding is not a plain range: “in-kind support”, “varies”."),
    )
    opening_date = models.DateField(_("opens on"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), db_index=True)
    deadline_time_zone = models.CharField(
        _("funder's time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("The time zone the funder states the deadline in, such as Europe/Paris."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.SUGGESTED, db_index=True
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggested_fund_calls",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = FundCallQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("fund call")
        verbose_name_plural = _("fund calls")
        permissions = [("moderate_fundcall", _("Can publish, reject, close and archive calls"))]
        indexes = [models.Index(fields=["status", "deadline"], name="fundcall_status_deadline")]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["suggested", "published", "rejected", "closed", "archived"]
                ),
                name="fundcall_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="fundcall_rejection_has_reason",
                violation_error_message=_("A rejected call needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True)
                | Q(amount_max__isnull=True)
                | Q(amount_min__lte=models.F("amount_max")),
                name="fundcall_amount_range_ordered",
                violation_error_message=_("The minimum amount exceeds the maximum."),
            ),
            models.CheckConstraint(
                condition=(Q(amount_min__isnull=True) & Q(amount_max__isnull=True))
                | ~Q(currency=""),
                name="fundcall_amount_has_currency",
                violation_error_message=_("An amount needs its currency."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funds:detail", args=[self.pk])

    @property
    def funder_zone(self):
        try:
            return zoneinfo.ZoneInfo(self.deadline_time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def deadline_in_funder_zone(self):
        return self.deadline.astimezone(self.funder_zone)

    @property
    def eligible_member_type_labels(self):
        return [Member.Type(value).label for value in self.eligible_member_types]

    @property
    def amount_label(self):
        """The amount as people read it: a range with its currency, and any words."""
        low, high, currency = self.amount_min, self.amount_max, self.currency
        if low is not None and low == high:
            label = f"{currency} {amount_number(low)}"
        elif low is not None and high is not None:
            label = _("%(currency)s %(low)s to %(high)s") % {
                "currency": currency,
                "low": amount_number(low),
                "high": amount_number(high),
            }
        elif high is not None:
            label = _("up to %(currency)s %(amount)s") % {
                "currency": currency,
                "amount": amount_number(high),
            }
        elif low is not None:
            label = _("from %(currency)s %(amount)s") % {
                "currency": currency,
                "amount": amount_number(low),
            }
        else:
            return self.amount_text
        return f"{label} ({self.amount_text})" if self.amount_text else label

    def is_open(self, *, now=None):
        return self.status == self.Status.PUBLISHED and self.deadline > (now or timezone.now())

    def days_left(self, *, now=None):
        """Whole days until the deadline (0 on its last day), None once it has passed."""
        remaining = self.deadline - (now or timezone.now())
        if remaining.total_seconds() <= 0:
            return None
        return remaining.days

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())

    def transition(self, to, *, by, note=""):
        """Move to ``to`` along ``TRANSITIONS`` and log it; the caller holds a row lock.

        Raises ``ValidationError`` for a move the map does not allow. Use the services in
        ``funds.services``, which lock the row and send what the move owes.
        """
        if not self.can_move_to(to):
            raise ValidationError(
                _("A call that is “%(from)s” cannot become “%(to)s”."),
                params={
                    "from": self.get_status_display(),
                    "to": self.Status(to).label,
                },
                code="invalid_transition",
            )
        previous = self.status
        self.status = to
        fields = ["status", "updated_at"]
        if to == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
            fields.append("published_at")
        if to == self.Status.REJECTED:
            self.rejection_reason = note
            fields.append("rejection_reason")
        self.save(update_fields=fields)
        return FundCallEvent.objects.create(
            call=self, actor=by, from_status=previous, to_status=to, note=note
        )


class FundCallEvent(models.Model):
    """A line of a call's history: who moved it from which status to which, and why."""

    call = models.ForeignKey(
        FundCall, verbose_name=_("call"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    from_status = models.CharField(_("from"), max_length=12, choices=FundCall.Status, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=FundCall.Status)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("fund call change")
        verbose_name_plural = _("fund call changes")

    def __str__(self):
        return f"{self.call}: {self.from_status or '—'} → {self.to_status}"
