"""The moderators' queue of reported posts, and read-only views of threads and posts."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import (
    MODERATE_EVERY_CATEGORY,
    Post,
    PostReport,
    PostRevision,
    Thread,
    led_category_ids,
)


class ResolvedFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "resolved"

    def lookups(self, request, model_admin):
        return [("no", _("To look at")), ("yes", _("Resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(PostReport)
class PostReportAdmin(admin.ModelAdmin):
    """Reports waiting first; a SIG lead sees those of the category they lead."""

    list_display = [
        "reported_post",
        "category",
        "reason",
        "reporter_name",
        "created_at",
        "resolved_at",
    ]
    list_filter = [ResolvedFilter]
    list_select_related = ["post__thread__category", "reporter__member"]
    readonly_fields = [
        "post",
        "reporter_name",
        "reason",
        "created_at",
        "resolved_at",
        "resolved_by",
    ]
    fields = readonly_fields
    actions = ["mark_resolved"]

    def get_queryset(self, request):
        reports = super().get_queryset(request)
        if request.user.has_perm(MODERATE_EVERY_CATEGORY):
            return reports
        return reports.filter(post__thread__category_id__in=led_category_ids(request.user))

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("post"))
    def reported_post(self, report):
        return format_html('<a href="{}">{}</a>', report.post.get_absolute_url(), report.post)

    @admin.display(description=_("category"))
    def category(self, report):
        return report.post.thread.category.display_name

    @admin.display(description=_("reported by"))
    def reporter_name(self, report):
        return report.reporter.display_name  # never the login email

    @admin.action(description=_("Mark as resolved"))
    def mark_resolved(self, request, queryset):
        count = queryset.filter(resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=request.user
        )
        messages.success(
            request,
            ngettext("%(count)d report resolved.", "%(count)d reports resolved.", count)
            % {"count": count},
        )


class PostRevisionInline(admin.TabularInline):
    model = PostRevision
    fields = ["replaced_at", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "edited_at", "hidden_at", "deleted_at"]
    list_select_related = ["thread"]
    readonly_fields = [
        "thread", "body", "language", "created_at", "edited_at", "hidden_at", "hidden_by",
        "hidden_reason", "deleted_at",
    ]  # fmt: skip
    fields = readonly_fields
    exclude = ["author"]
    inlines = [PostRevisionInline]

    def has_add_permission(self, request):
        return False


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "is_pinned", "is_locked", "is_hidden", "last_posted_at"]
    list_filter = ["category", "is_pinned", "is_locked"]
    readonly_fields = ["title", "category", "language", "created_at", "last_posted_at"]
    fields = readonly_fields
    search_fields = ["title"]

    def has_add_permission(self, request):
        return False
