"""Admin of introductions, conversations and reported messages.

Staff never read what members write to each other: introductions and conversations show who,
when and how many messages, never a body. The one exception is the report queue, which shows
the single message a member reported (a copy kept with the report), nothing around it.
"""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Conversation, Introduction, Report


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Introduction)
class IntroductionAdmin(ReadOnlyAdmin):
    list_display = ["sender", "recipient", "status", "created_at", "accepted_at"]
    list_filter = ["status"]
    list_select_related = ["sender", "recipient"]
    date_hierarchy = "created_at"
    # No ``message``: the introduction's text is for its recipient only.
    fields = ["sender", "recipient", "status", "created_at", "answered_at", "accepted_at"]


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "sides",
        "message_count",
        "created_at",
        "last_message_at",
        "ended_at",
    ]
    list_select_related = ["introduction__sender", "introduction__recipient"]
    fields = ["sides", "message_count", "created_at", "last_message_at", "ended_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(messages_count=Count("messages"))

    @admin.display(description=_("between"))
    def sides(self, obj):
        return f"{obj.introduction.sender or '—'} · {obj.introduction.recipient or '—'}"

    @admin.display(description=_("messages"), ordering="messages_count")
    def message_count(self, obj):
        return obj.messages_count


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["author_name", "created_at", "resolved_at"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter)]
    fields = ["author_name", "reported_text", "reason", "created_at", "resolved_at"]
    readonly_fields = fields
    actions = ["mark_resolved"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Mark as resolved"), permissions=["change"])
    def mark_resolved(self, request, queryset):
        count = queryset.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d report resolved.", "%(count)d reports resolved.", count)
            % {"count": count},
            messages.SUCCESS,
        )
