"""Admin of member profiles, their Core Group roles and the export log.

Core Group members and ILO staff both enter the admin (``is_staff``); what each sees and may do
follows permissions: contact email and phone need ``members.view_private_contacts``, the export
actions ``members.export_members``, approval ``members.approve_member``.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import exports, letters, personal_data, services
from .models import (
    PROJECT_FIELDS,
    CoreGroupRole,
    IssuedDocument,
    LetterRequest,
    Member,
    MemberExport,
)
from .pictures import member_picture_remove, member_picture_set, read_picture
from .privacy import PRIVATE_CONTACTS_PERMISSION

OWNER_CHOICE_FIELDS = ("email_visibility", "phone_visibility", "is_public")
PRIVATE_CONTACT_FIELDS = ("contact_email", "contact_phone")
# Beyond this many selected members the audit row keeps the changelist's filters, not the ids.
AUDITED_IDS_LIMIT = 1000
ISSUE_LETTER_PERMISSION = "members.issue_letter"


class ClaimedListFilter(admin.SimpleListFilter):
    title = _("claimed")
    parameter_name = "claimed"

    def lookups(self, request, model_admin):
        return [("yes", _("Claimed by its owner")), ("no", _("Not claimed yet"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(owner__isnull=False)
        if self.value() == "no":
            return queryset.filter(owner__isnull=True)
        return queryset


class CoreGroupRoleInline(admin.TabularInline):
    model = CoreGroupRole
    fields = ["role", "category", "region", "start_date", "end_date"]
    extra = 0


class MemberAdminForm(forms.ModelForm):
    """The profile, and its picture replaced or removed by staff (members/pictures.py)."""

    picture_upload = forms.FileField(
        label=_("New logo or photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=_("PNG, JPEG or WebP, at most 5 MB; its metadata is removed."),
    )
    remove_picture = forms.BooleanField(label=_("Remove the picture"), required=False)

    class Meta:
        model = Member
        fields = ["name"]  # the admin chooses the fields from its fieldsets

    def clean_picture_upload(self):
        upload = self.cleaned_data.get("picture_upload")
        if upload:
            read_picture(upload)
        return upload


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    form = MemberAdminForm
    list_display = [
        "thumbnail",
        "name",
        "member_type",
        "country",
        "region",
        "status",
        "claimed",
        "is_top_innovator",
    ]
    list_filter = [
        "status",
        "categories",
        "region",
        "member_type",
        ClaimedListFilter,
        "is_top_innovator",
    ]
    search_fields = ["name", "project_title", "contact_name", "contact_email"]
    ordering = ["name", "id"]
    list_per_page = 50
    inlines = [CoreGroupRoleInline]
    filter_horizontal = ["categories", "languages"]
    raw_id_fields = ["owner"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = [
        "region",
        "status",
        "approved_by",
        "approved_at",
        "imported",
        "claimed_at",
        "created_at",
        "updated_at",
        "thumbnail",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["name", "kind", "member_type", "country", "region", "languages"]},
        ),
        (_("Logo or photo"), {"fields": ["thumbnail", "picture_upload", "remove_picture"]}),
        (_("Skills categories"), {"fields": ["categories"]}),
        (
            _("Project"),
            {
                "fields": [
                    *PROJECT_FIELDS,
                ]
            },
        ),
        (
            _("Contact"),
            {
                "fields": [
                    "contact_name",
                    "contact_email",
                    "email_visibility",
                    "contact_phone",
                    "phone_visibility",
                    "contact_language",
                ]
            },
        ),
        (
            _("Listing"),
            {
                "fields": [
                    "status",
                    "is_public",
                    "is_top_innovator",
                    "owner",
                    "imported",
                    "claimed_at",
                    "approved_by",
                    "approved_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    actions = [
        "approve_selected",
        "export_csv",
        "export_xlsx",
        "issue_letters",
        "remove_unclaimed",
    ]

    @admin.display(description=_("picture"))
    def thumbnail(self, member):
        if not member.picture:
            return "—"
        return format_html('<img src="{}" width="32" height="32" alt="">', member.picture_url(64))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("picture_upload"):
            member_picture_set(
                member=obj, by=request.user, upload=form.cleaned_data["picture_upload"]
            )
        elif form.cleaned_data.get("remove_picture"):
            member_picture_remove(member=obj, by=request.user)

    @admin.display(description=_("claimed"), boolean=True, ordering="owner_id")
    def claimed(self, member):
        return member.is_claimed

    def _sees_private_contacts(self, request):
        return request.user.has_perm(PRIVATE_CONTACTS_PERMISSION)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self._sees_private_contacts(request):
            return fieldsets
        # Without the permission the fields are not in the form at all, so saving keeps them.
        # The owner's account is left out too: its name may be the very address hidden here.
        hidden = {*PRIVATE_CONTACT_FIELDS, "owner"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self._sees_private_contacts(request):
            return fields
        # Who sees the contact details is the owner's choice; widening it would reveal them.
        return [*fields, *OWNER_CHOICE_FIELDS]

    def lookup_allowed(self, lookup, value, request=None):
        # ?contact_email__startswith=a would find the hidden addresses one letter at a time.
        if lookup.split("__")[0] in PRIVATE_CONTACT_FIELDS and not (
            request is not None and self._sees_private_contacts(request)
        ):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if self._sees_private_contacts(request):
            return fields
        # Searching by an address would reveal who has it.
        return [field for field in fields if field not in PRIVATE_CONTACT_FIELDS]

    def get_list_display(self, request):
        fields = super().get_list_display(request)
        if self._sees_private_contacts(request):
            return fields
        return [field for field in fields if field not in PRIVATE_CONTACT_FIELDS]

    # ---- Approval ----------------------------------------------------------------------------

    def has_approve_permission(self, request):
        return request.user.has_perm(services.APPROVE_PERMISSION)

    @admin.action(description=_("Approve selected profiles"), permissions=["approve"])
    def approve_selected(self, request, queryset):
        approved = 0
        for member in queryset.filter(status=Member.Status.PENDING):
            services.member_approve(member=member, by=request.user)
            approved += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d profile approved and listed.",
                "%(count)d profiles approved and listed.",
                approved,
            )
            % {"count": approved},
            messages.SUCCESS,
        )

    # ---- Removal on request -----------------------------------------------------------------

    def has_remove_unclaimed_permission(self, request):
        return request.user.has_perm("members.remove_unclaimed")

    @admin.action(
        description=_("Remove selected imported profiles never claimed (on request)"),
        permissions=["remove_unclaimed"],
    )
    def remove_unclaimed(self, request, queryset):
        removable = queryset.filter(imported=True, owner__isnull=True)
        removed = 0
        for member in removable:
            personal_data.member_remove(member=member)
            removed += 1
        skipped = queryset.count()  # what is left of the selection: claimed profiles
        self.message_user(
            request,
            ngettext(
                "%(count)d unclaimed profile removed; the deletion log keeps no data of it.",
                "%(count)d unclaimed profiles removed; the deletion log keeps no data of them.",
                removed,
            )
            % {"count": removed},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                _("Profiles with an owner were left: their owner deletes their own account."),
                messages.WARNING,
            )

    # ---- Letters of introduction --------------------------------------------------------------

    def has_issue_letter_permission(self, request):
        return request.user.has_perm(ISSUE_LETTER_PERMISSION)

    @admin.action(
        description=_("Issue a letter of introduction for each selected member"),
        permissions=["issue_letter"],
    )
    def issue_letters(self, request, queryset):
        _issue_letters(self, request, list(queryset))

    # ---- Exports -----------------------------------------------------------------------------

    def has_export_permission(self, request):
        return request.user.has_perm(exports.EXPORT_PERMISSION)

    @admin.action(description=_("Export selected members (CSV)"), permissions=["export"])
    def export_csv(self, request, queryset):
        return self._export(request, queryset, MemberExport.Format.CSV)

    @admin.action(description=_("Export selected members (Excel)"), permissions=["export"])
    def export_xlsx(self, request, queryset):
        return self._export(request, queryset, MemberExport.Format.XLSX)

    def _export(self, request, queryset, fmt):
        ids = list(queryset.order_by().values_list("pk", flat=True)[: AUDITED_IDS_LIMIT + 1])
        if len(ids) <= AUDITED_IDS_LIMIT:
            filters = {"selected": sorted(ids)}
        else:
            filters = {"changelist": {key: request.GET.getlist(key) for key in request.GET}}
        return exports.member_export_response(
            members=queryset, fmt=fmt, user=request.user, filters=filters, source="admin"
        )


@admin.register(MemberExport)
class MemberExportAdmin(admin.ModelAdmin):
    """The export log: read-only, for those who may view it."""

    list_display = ["created_at", "user", "format", "row_count", "source", "filters"]
    list_filter = ["format", "source", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    date_hierarchy = "created_at"
    fields = ["created_at", "user", "format", "row_count", "source", "filters"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _issue_letters(model_admin, request, members):
    issued = [letters.letter_issue(member=member, by=request.user) for member in members]
    model_admin.message_user(
        request,
        ngettext(
            "%(count)d letter issued; the member downloads it from their letters page.",
            "%(count)d letters issued; each member downloads theirs from their letters page.",
            len(issued),
        )
        % {"count": len(issued)},
        messages.SUCCESS,
    )


@admin.register(LetterRequest)
class LetterRequestAdmin(admin.ModelAdmin):
    """Members' requests for a letter: ILO staff issue or decline them here."""

    list_display = ["member", "status", "created_at", "purpose", "handled_by", "document_link"]
    list_filter = ["status", "created_at"]
    list_select_related = ["member", "handled_by", "document"]
    search_fields = ["member__name"]
    fields = [
        "member",
        "purpose",
        "status",
        "created_at",
        "handled_by",
        "handled_at",
        "document_link",
    ]
    readonly_fields = fields
    actions = ["issue_selected", "decline_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_issue_letter_permission(self, request):
        return request.user.has_perm(ISSUE_LETTER_PERMISSION)

    @admin.display(description=_("letter"))
    def document_link(self, letter_request):
        if letter_request.document is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            letter_request.document.get_absolute_url(),
            _("Verification page"),
        )

    @admin.action(description=_("Issue the requested letters"), permissions=["issue_letter"])
    def issue_selected(self, request, queryset):
        waiting = queryset.filter(status=LetterRequest.Status.PENDING).select_related("member")
        _issue_letters(self, request, [letter_request.member for letter_request in waiting])

    @admin.action(description=_("Decline the selected requests"), permissions=["issue_letter"])
    def decline_selected(self, request, queryset):
        declined = sum(
            letters.letter_request_decline(letter_request=letter_request, by=request.user)
            for letter_request in queryset
        )
        self.message_user(
            request,
            ngettext("%(count)d request declined.", "%(count)d requests declined.", declined)
            % {"count": declined},
            messages.SUCCESS,
        )


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """Letters and certificates as issued: read-only; revoked from their verification page."""

    list_display = ["holder_name", "kind", "language", "issued_at", "issued_by_name", "revoked"]
    list_filter = ["kind", "language", "issued_at", "revoked_at"]
    search_fields = ["holder_name", "member__name"]
    date_hierarchy = "issued_at"
    fields = [
        "kind",
        "holder_name",
        "member",
        "language",
        "statement",
        "facts",
        "reference",
        "issued_by_name",
        "issued_at",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
        "verification_link",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("revoked"), boolean=True, ordering="revoked_at")
    def revoked(self, document):
        return document.is_revoked

    @admin.display(description=_("verification page"))
    def verification_link(self, document):
        return format_html(
            '<a href="{}">{}</a>',
            document.get_absolute_url(),
            _("Open the verification page (download, revoke)"),
        )


from . import needs_admin  # noqa: E402, F401  (registers the needs and invitation models)
