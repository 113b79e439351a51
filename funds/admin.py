"""Curation of fund calls: Core Group members and ILO staff moderate them here.

Status changes go only through the actions, which call ``funds.services``: the history is logged
and the alerts leave after the transaction commits.
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from categories.models import Category
from members.models import CoreGroupRole

from . import services
from .forms import FundCallForm, RejectForm
from .models import (
    MODERATE_PERMISSION,
    FundAlert,
    FundCall,
    FundCallDelivery,
    FundCallEvent,
    PartnerRequest,
)


def sig_lead_category(user):
    """The slug of the category ``user`` currently leads as a SIG lead, or None."""
    if not user.is_authenticated:
        return None
    return (
        CoreGroupRole.objects.filter(
            role=CoreGroupRole.Role.SIG_LEAD, end_date__isnull=True, member__owner=user
        )
        .values_list("category__slug", flat=True)
        .first()
    )


class CategoryFilter(admin.SimpleListFilter):
    """By category; a SIG lead starts on their own category, and can still choose "All"."""

    title = _("skills category")
    parameter_name = "category"
    ALL = "all"

    def __init__(self, request, params, model, model_admin):
        self.default = sig_lead_category(request.user)
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [(category.slug, category.display_name) for category in Category.objects.all()]

    def value(self):
        value = super().value()
        return self.default if value is None else value

    def queryset(self, request, queryset):
        value = self.value()
        if not value or value == self.ALL:
            return queryset
        return queryset.in_categories(Category.objects.filter(slug=value))

    def choices(self, changelist):
        current = self.value()
        yield {
            "selected": current in (None, self.ALL),
            "query_string": changelist.get_query_string({self.parameter_name: self.ALL}),
            "display": _("All"),
        }
        for slug, title in self.lookup_choices:
            yield {
                "selected": current == slug,
                "query_string": changelist.get_query_string({self.parameter_name: slug}),
                "display": title,
            }


class FundCallEventInline(admin.TabularInline):
    model = FundCallEvent
    fields = ["at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("History")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FundCall)
class FundCallAdmin(admin.ModelAdmin):
    form = FundCallForm
    list_display = ["title", "funder", "status", "deadline", "source_type", "suggested_by"]
    list_filter = [CategoryFilter, "status", "source_type"]
    list_select_related = ["suggested_by__member"]
    ordering = ["deadline", "pk"]
    search_fields = ["title", "funder", "description"]
    readonly_fields = ["status", "rejection_reason", "suggested_by", "published_at", "created_at"]
    inlines = [FundCallEventInline]
    actions = ["publish", "reject", "close", "archive"]
    fieldsets = [
        (None, {"fields": ["title", "funder", "source_type", "link", "description"]}),
        (
            _("Who may apply"),
            {"fields": ["categories", "eligible_regions", "eligible_member_types"]},
        ),
        (_("Dates"), {"fields": ["opening_date", "deadline", "deadline_time_zone"]}),
        (_("Amount"), {"fields": ["amount_min", "amount_max", "currency", "amount_text"]}),
        (
            _("Moderation"),
            {
                "fields": ["status", "rejection_reason", "suggested_by", "published_at"],
                "description": _(
                    "A call starts as a suggestion; publish, reject, close or archive it with "
                    "the actions of the list of calls."
                ),
            },
        ),
    ]

    def has_moderate_permission(self, request):
        return request.user.has_perm(MODERATE_PERMISSION)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.save()
            services.fundcall_record_creation(call=obj, by=request.user)
            return
        # Only what the form changed: a whole-row save would undo a status set meanwhile.
        changed = set(form.changed_data)
        if "deadline_time_zone" in changed:
            changed.add("deadline")  # the same wall-clock time in another zone is another instant
        columns = {field.name for field in obj._meta.concrete_fields}
        obj.save(update_fields=[*sorted(changed & columns), "updated_at"])

    def _move(self, request, queryset, service, done_message, **kwargs):
        moved = 0
        for call in queryset:
            try:
                service(call=call, by=request.user, **kwargs)
            except ValidationError as error:
                self.message_user(request, f"{call}: {' '.join(error.messages)}", messages.ERROR)
            else:
                moved += 1
        if moved:
            self.message_user(request, done_message(moved), messages.SUCCESS)

    @admin.action(description=_("Publish the selected calls"), permissions=["moderate"])
    def publish(self, request, queryset):
        self._move(
            request,
            queryset,
            services.fundcall_publish,
            lambda n: (
                ngettext(
                    "%(count)d call published; matching subscribers are being told.",
                    "%(count)d calls published; matching subscribers are being told.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(description=_("Reject the selected suggestions…"), permissions=["moderate"])
    def reject(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._move(
                request,
                queryset,
                services.fundcall_reject,
                lambda n: (
                    ngettext("%(count)d suggestion rejected.", "%(count)d suggestions rejected.", n)
                    % {"count": n}
                ),
                reason=form.cleaned_data["reason"],
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject suggested calls"),
            "opts": self.model._meta,
            "form": form,
            "calls": queryset,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "funds/admin/reject.html", context)

    @admin.action(description=_("Close the selected calls early"), permissions=["moderate"])
    def close(self, request, queryset):
        self._move(
            request,
            queryset,
            services.fundcall_close,
            lambda n: (
                ngettext("%(count)d call closed.", "%(count)d calls closed.", n) % {"count": n}
            ),
        )

    @admin.action(description=_("Archive the selected calls"), permissions=["moderate"])
    def archive(self, request, queryset):
        self._move(
            request,
            queryset,
            services.fundcall_archive,
            lambda n: (
                ngettext("%(count)d call archived.", "%(count)d calls archived.", n) % {"count": n}
            ),
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundCallEvent)
class FundCallEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "call", "from_status", "to_status", "actor", "note"]
    list_filter = ["to_status"]
    list_select_related = ["call", "actor__member"]
    search_fields = ["call__title", "note"]
    date_hierarchy = "at"


@admin.register(FundAlert)
class FundAlertAdmin(ReadOnlyAdmin):
    list_display = ["user", "frequency", "remind_14", "remind_7", "remind_1", "unsubscribed_at"]
    list_filter = ["frequency"]
    list_select_related = ["user"]
    search_fields = ["user__email"]


@admin.register(FundCallDelivery)
class FundCallDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["call", "user", "kind", "due_at", "sent_at", "failed_at", "attempts"]
    list_filter = ["kind"]
    list_select_related = ["call", "user"]
    search_fields = ["user__email", "call__title"]


class PartnerRequestVisibilityFilter(admin.SimpleListFilter):
    title = _("shown to members")
    parameter_name = "hidden"

    def lookups(self, request, model_admin):
        return [("no", _("Shown")), ("yes", _("Hidden by moderators"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(hidden_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(hidden_at__isnull=True)
        return queryset


@admin.register(PartnerRequest)
class PartnerRequestAdmin(admin.ModelAdmin):
    """Moderation only: whoever curates calls (Core Group, ILO staff) hides or shows requests.

    The poster writes the request on the site; here nothing of it can be edited.
    """

    list_display = ["__str__", "role", "created_at", "open_until", "closed_at", "hidden_at"]
    list_filter = [PartnerRequestVisibilityFilter, "role"]
    list_select_related = ["member", "call"]
    search_fields = ["member__name", "call__title", "offer", "seeking"]
    date_hierarchy = "created_at"
    fields = [
        "call",
        "member",
        "role",
        "regions",
        "countries",
        "categories",
        "offer",
        "seeking",
        "open_until",
        "closed_at",
        "created_at",
        "hidden_at",
        "hidden_by",
    ]
    readonly_fields = fields
    actions = ["hide", "show"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(MODERATE_PERMISSION)

    def has_moderate_permission(self, request):
        return request.user.has_perm(MODERATE_PERMISSION)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.action(description=_("Hide the selected partner requests"), permissions=["moderate"])
    def hide(self, request, queryset):
        count = services.partner_requests_hide(queryset=queryset, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d partner request hidden.", "%(count)d partner requests hidden.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Show the selected partner requests again"), permissions=["moderate"]
    )
    def show(self, request, queryset):
        count = services.partner_requests_show(queryset=queryset, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d partner request shown again.",
                "%(count)d partner requests shown again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
