import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from network_portal.delivery import Delivery

from .regions import Region, region_for_country
from .search import SearchText, folded


class Language(models.Model):
    """A language members work in; ``code`` is ISO 639-1 (as in Django's own list)."""

    code = models.CharField(_("code"), max_length=10, primary_key=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        from django.utils.translation import gettext

        # The names come from Django's list, whose own catalogs translate them.
        return gettext(self.name)


# What a profile says about its project: the fields shown, edited, exported and served together.
PROJECT_FIELDS = [
    "project_title",
    "project_summary",
    "project_objectives",
    "project_stage",
    "beneficiaries",
    "impact",
    "website",
    "expertise",
]


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Signed-in members")
    STAFF = "staff", _("ILO staff only")


class MemberQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(status=Member.Status.LISTED)

    def visible_to(self, user):
        """The profiles ``user`` may see: the one place that decides it.

        Visitors see listed profiles whose owner made them public (never unclaimed imports);
        signed-in users see every listed profile and their own; those who approve profiles
        (Core Group, ILO staff) also see the ones awaiting approval.
        """
        if not user.is_authenticated:
            return self.filter(status=Member.Status.LISTED, owner__isnull=False, is_public=True)
        if user.has_perm("members.approve_member"):
            return self.all()
        return self.filter(Q(status=Member.Status.LISTED) | Q(owner=user))

    def bulk_create(self, objs, *args, **kwargs):
        for obj in objs:
            obj.region = region_for_country(obj.country)
        created = super().bulk_create(objs, *args, **kwargs)
        _directory_changed()
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        if "country" in fields:
            for obj in objs:
                obj.region = region_for_country(obj.country)
            fields = [*fields, "region"]
        updated = super().bulk_update(objs, fields, *args, **kwargs)
        _directory_changed()
        return updated

    def update(self, **kwargs):
        if "country" in kwargs:
            kwargs["region"] = region_for_country(kwargs["country"])
        elif "region" in kwargs:
            raise TypeError("A member's region follows from its country; update the country.")
        updated = super().update(**kwargs)
        _directory_changed()
        return updated


def _directory_changed():
    """Bulk writes send no signals: tell the directory (after the write, as a signal would),
    whose kept counts and pages they make stale."""
    from . import directory  # it reads this module's models

    directory.changed(sender=Member)


class Member(models.Model):
    """An organization's or individual's profile in the network (not a login)."""

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("Organization")
        INDIVIDUAL = "individual", _("Individual")

    class Type(models.TextChoices):
        TVET = "tvet", _("TVET institution")
        WORKERS = "workers-organization", _("Workers' organization")
        EMPLOYERS = "employers-organization", _("Employers' organization")
        GOVERNMENT = "government", _("Government agency")
        STARTUP = "startup", _("Start-up or social enterprise")
        NGO = "ngo", _("NGO")
        RESEARCH = "research", _("Research institution or university")
        PRACTITIONER = "practitioner", _("Development practitioner")
        YOUNG_INNOVATOR = "young-innovator", _("Young innovator")

    class Stage(models.TextChoices):
        IDEA = "idea", _("Idea")
        PILOT = "pilot", _("Pilot")
        IMPLEMENTATION = "implementation", _("Implementation")
        SCALING = "scaling", _("Scaling")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        LISTED = "listed", _("Listed")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.ORGANIZATION)
    member_type = models.CharField(_("type"), max_length=30, choices=Type)
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=30, choices=Region, editable=False)
    languages = models.ManyToManyField(
        Language, verbose_name=_("working languages"), related_name="members", blank=True
    )
    categories = models.ManyToManyField(
        "categories.Category", verbose_name=_("skills categories"), related_name="members"
    )

    project_title = models.CharField(_("project title"), max_length=200, blank=True)
    project_summary = models.TextField(_("project summary"), max_length=3000, blank=True)
    project_objectives = models.TextField(_("objectives"), max_length=2000, blank=True)
    project_stage = models.CharField(
        _("stage"), max_length=20, choices=Stage, blank=True, default=""
    )
    beneficiaries = models.TextField(
        _("beneficiaries and target groups"), max_length=2000, blank=True
    )
    impact = models.TextField(_("impact and results"), max_length=2000, blank=True)
    website = models.URLField(_("website"), blank=True)
    expertise = models.TextField(
        _("technical expertise offered"),
        max_length=2000,
        blank=True,
        help_text=_("What you can help other members with."),
    )

    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    email_visibility = models.CharField(
        _("who sees the contact email"), max_length=10, choices=Visibility, default=Visibility.STAFF
    )
    phone_visibility = models.CharField(
        _("who sees the contact phone"), max_length=10, choices=Visibility, default=Visibility.STAFF
    )

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )
    is_public = models.BooleanField(
        _("visible to visitors"),
        default=False,
        help_text=_("Show this profile to visitors who are not signed in."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    accepts_introductions = models.BooleanField(
        _("accepts introductions"),
        default=True,
        help_text=_(
            "Let signed-in members introduce themselves to you through the portal; your email "
            "address is never shown to them."
        ),
    )
    is_top_innovator = models.BooleanField(_("Top Innovator"), default=False)
    # The digest of the organization's logo or photo, which names its stored sizes
    # (members/pictures.py); empty: an initials badge stands in.
    picture = models.CharField(_("picture"), max_length=32, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    imported = models.BooleanField(
        _("imported from the innovation call"), default=False, editable=False
    )
    contact_language = models.CharField(
        _("language of the contact person"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Invitations to an imported profile are written in this language."),
    )
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # What the directory's keywords search, kept by the database itself (members/search.py).
    search_text = models.GeneratedField(
        expression=folded(SearchText()), output_field=models.TextField(), db_persist=True
    )

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        permissions = [
            ("export_members", _("Can export member lists")),
            ("view_private_contacts", _("Can see private contact details")),
            ("approve_member", _("Can approve new profiles")),
            ("import_members", _("Can import the call's applicants")),
            ("invite_members", _("Can invite imported applicants")),
            ("remove_unclaimed", _("Can remove imported profiles never claimed, on request")),
            ("view_needs_report", _("Can see the needs assessment report")),
        ]
        indexes = [
            models.Index(fields=["name", "id"], name="member_name_idx"),
            models.Index(fields=["region", "name"], name="member_region_idx"),
            models.Index(fields=["country", "name"], name="member_country_idx"),
            models.Index(fields=["member_type", "name"], name="member_type_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__in=Region.values), name="member_region_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(status="listed"), name="member_status_valid"
            ),
            # Importing the same applicants twice, even in two requests at once, makes one profile.
            models.UniqueConstraint(
                Lower("contact_email"),
                condition=Q(imported=True) & ~Q(contact_email=""),
                name="one_imported_profile_per_contact_email",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.region = region_for_country(self.country)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "country" in update_fields:
            kwargs["update_fields"] = {*update_fields, "region"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.pk])

    def picture_url(self, size):
        """The URL of the picture's ``size`` px square (64 or 256), or "" without a picture."""
        from .pictures import picture_url

        return picture_url(self, size)

    @property
    def initials(self):
        """Up to two letters of the name, for the badge shown without a picture."""
        words = [word for word in self.name.split() if word[:1].isalnum()]
        return "".join(word[0] for word in words[:2]).upper() or "?"

    @property
    def is_claimed(self):
        return self.owner_id is not None

    def approve(self, *, by):
        """List a profile that awaited approval."""
        self.status = self.Status.LISTED
        self.approved_by = by
        self.approved_at = timezone.now()
        self.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])


class CoreGroupRole(models.Model):
    """A role a member holds in the Core Group, shown as a badge on the profile."""

    class Role(models.TextChoices):
        SIG_LEAD = "sig-lead", _("Special-interest group lead")
        REGIONAL_REPRESENTATIVE = "regional-representative", _("Regional representative")
        FACILITATOR = "facilitator", _("Facilitator and host")
        TECHNICAL_ADVISOR = "technical-advisor", _("Technical advisor")
        TRANSLATOR = "translator", _("Translation volunteer")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role)
    category = models.ForeignKey(
        "categories.Category",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        help_text=_("Required for a special-interest group lead."),
    )
    region = models.CharField(
        _("region"),
        max_length=30,
        choices=Region,
        blank=True,
        help_text=_("Required for a regional representative."),
    )
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        ordering = ["role", "start_date"]
        verbose_name = _("Core Group role")
        verbose_name_plural = _("Core Group roles")
        constraints = [
            models.UniqueConstraint(
                fields=["category"],
                condition=Q(role="sig-lead", end_date__isnull=True),
                name="one_current_sig_lead_per_category",
                violation_error_message=_("This category already has a current SIG lead."),
            ),
            models.CheckConstraint(
                condition=~Q(role="sig-lead") | Q(category__isnull=False),
                name="sig_lead_has_category",
                violation_error_message=_("A SIG lead leads a category: choose one."),
            ),
            models.CheckConstraint(
                condition=~Q(role="regional-representative") | ~Q(region=""),
                name="regional_representative_has_region",
                violation_error_message=_("A regional representative represents a region."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="role_ends_after_start",
                violation_error_message=_("A role cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_current(self):
        return self.end_date is None or self.end_date >= timezone.localdate()

    @property
    def label(self):
        """The badge text: the role and, where it has one, its scope."""
        if self.role == self.Role.SIG_LEAD and self.category_id:
            return _("SIG lead: %(category)s") % {"category": self.category.display_name}
        if self.role == self.Role.REGIONAL_REPRESENTATIVE and self.region:
            return _("Representative: %(region)s") % {"region": self.get_region_display()}
        return self.get_role_display()


class MemberExport(models.Model):
    """An audit row for every member list exported: who, when, which filters, how many."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exported by"),
        # The audit row outlives a deleted account: "a former member" exported it.
        on_delete=models.SET_NULL,
        null=True,
        related_name="member_exports",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    format = models.CharField(_("format"), max_length=5, choices=Format)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    source = models.CharField(_("from"), max_length=20, default="directory")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("member export")
        verbose_name_plural = _("member exports")

    def __str__(self):
        return f"{self.user} {self.format} {self.created_at:%Y-%m-%d %H:%M}"


class ApprovalNotice(Delivery):
    """The email telling a profile's owner it is listed: once per approval (see delivery.py)."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="approval_notices"
    )
    approved_at = models.DateTimeField(_("for the approval of"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("approval email")
        verbose_name_plural = _("approval emails")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "approved_at"], name="one_notice_per_approval"
            )
        ]

    def __str__(self):
        return f"{self.member} {self.approved_at:%Y-%m-%d %H:%M}"


def new_document_token():
    """An unguessable token (192 random bits) naming a letter or certificate in its URL."""
    return secrets.token_urlsafe(24)


class IssuedDocumentQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)

    def held_by(self, user):
        """The documents ``user`` holds: letters for their profile, certificates for them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(holder=user) | Q(member__owner=user))


class IssuedDocument(models.Model):
    """A letter of introduction or a certificate anyone holding it can verify at its URL.

    What was printed is kept as printed (``holder_name``, ``statement``, ``facts``, in the
    document's ``language``): the PDF is rebuilt from these fields alone, and the verification
    page shows the same facts whatever the profile has become since.
    """

    class Kind(models.TextChoices):
        LETTER = "letter", _("Letter of introduction")
        CERTIFICATE = "certificate", _("Certificate of participation")

    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_document_token, editable=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        help_text=_("The person a certificate was issued to."),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    holder_name = models.CharField(_("issued to"), max_length=200)
    statement = models.TextField(_("statement"), blank=True)
    facts = models.JSONField(
        _("facts printed"), default=list, blank=True, help_text=_("[label, value] pairs.")
    )
    # What a certificate is for ("coaching.series:12"): one valid certificate per holder for it.
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_by_name = models.CharField(_("issuing officer"), max_length=200)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revoking"), max_length=1000, blank=True)

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("letter or certificate")
        verbose_name_plural = _("letters and certificates")
        permissions = [
            ("issue_letter", _("Can issue letters of introduction")),
            ("revoke_document", _("Can revoke letters and certificates")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["letter", "certificate"]), name="document_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="document_revocation_has_reason",
                violation_error_message=_("Say why the document is revoked."),
            ),
            models.UniqueConstraint(
                fields=["kind", "holder", "reference"],
                condition=Q(revoked_at__isnull=True) & ~Q(reference=""),
                name="one_valid_document_per_holder_and_reference",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.holder_name} ({self.issued_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("letters:verify", args=[self.token])

    @property
    def verification_url(self):
        return f"{settings.PORTAL_BASE_URL}{self.get_absolute_url()}"

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def can_download(self, user):
        """The holder (or the profile's owner) and those who issue letters get the PDF."""
        if not user.is_authenticated:
            return False
        if user.has_perm("members.issue_letter"):
            return True
        return user.pk == self.holder_id or (
            self.member_id is not None and self.member.owner_id == user.pk
        )


class LetterRequest(models.Model):
    """A member asking ILO staff for a letter of introduction; staff answer in the admin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting ILO staff")
        ISSUED = "issued", _("Issued")
        DECLINED = "declined", _("Declined")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="letter_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="letter_requests",
    )
    purpose = models.TextField(
        _("what the letter is for"),
        max_length=1000,
        blank=True,
        help_text=_("Optional: the funder, partner or authority you will show it to."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    handled_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    document = models.ForeignKey(
        IssuedDocument,
        verbose_name=_("letter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("letter request")
        verbose_name_plural = _("letter requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "issued", "declined"]),
                name="letter_request_status_valid",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="pending"),
                name="one_pending_letter_request_per_member",
                violation_error_message=_("A request for this member is already waiting."),
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_status_display()}"


class ApprovalSummary(Delivery):
    """The daily email telling one approver which profiles await approval (see delivery.py).

    One per approver and day at most: the unique constraint makes the daily run idempotent.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="approval_summaries",
    )
    day = models.DateField(_("day"))

    class Meta:
        ordering = ["-day", "pk"]
        verbose_name = _("approval summary email")
        verbose_name_plural = _("approval summary emails")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "day"], name="one_approval_summary_per_day"
            )
        ]

    def __str__(self):
        return f"{self.recipient_id} {self.day:%Y-%m-%d}"


# Models of their own modules, imported here so that Django finds them.
from .invitation_models import (  # noqa: E402
    EmailSuppression,
    Invitation,
    InvitationEmail,
    InvitationRound,
)
from .needs_models import NeedsAnswer, NeedsAssessment, NeedsOption, NeedsQuestion  # noqa: E402

__all__ = [
    "ApprovalNotice",
    "ApprovalSummary",
    "CoreGroupRole",
    "EmailSuppression",
    "Invitation",
    "InvitationEmail",
    "InvitationRound",
    "IssuedDocument",
    "Language",
    "LetterRequest",
    "Member",
    "MemberExport",
    "NeedsAnswer",
    "NeedsAssessment",
    "NeedsOption",
    "NeedsQuestion",
]
