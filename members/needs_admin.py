"""Admin of the needs assessment's questions (data: a new question needs no deploy), members'
answers (ILO staff only: ``members.view_needsassessment``), invitations and suppressions."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .invitation_models import EmailSuppression, Invitation, InvitationRound
from .needs_models import NeedsAnswer, NeedsAssessment, NeedsOption, NeedsQuestion


class NeedsOptionInline(admin.TabularInline):
    model = NeedsOption
    fields = [
        "position",
        "slug",
        "label_en",
        "label_fr",
        "label_es",
        "category",
        "session_kind",
        "weekday",
        "start_hour",
    ]
    extra = 0


@admin.register(NeedsQuestion)
class NeedsQuestionAdmin(admin.ModelAdmin):
    list_display = ["text_en", "section", "kind", "position", "is_active", "version"]
    list_filter = ["section", "is_active"]
    readonly_fields = ["version"]
    inlines = [NeedsOptionInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # New or reworded options are a new version of the question: older answers keep theirs.
        if change and formset.has_changed():
            form.instance.bump_version()


class NeedsAnswerInline(admin.TabularInline):
    model = NeedsAnswer
    fields = ["question", "question_version", "chosen", "text", "answered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question").prefetch_related("options")

    @admin.display(description=_("options"))
    def chosen(self, answer):
        return ", ".join(option.display_label for option in answer.options.all())


@admin.register(NeedsAssessment)
class NeedsAssessmentAdmin(admin.ModelAdmin):
    list_display = ["member", "answered_at", "updated_at", "time_zone", "skip_count"]
    list_select_related = ["member"]
    search_fields = ["member__name"]
    readonly_fields = [
        "member",
        "time_zone",
        "answered_at",
        "updated_at",
        "skipped_at",
        "skip_count",
        "answered_by",
    ]
    inlines = [NeedsAnswerInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InvitationInline(admin.TabularInline):
    model = Invitation
    fields = ["member", "email", "language", "created_at", "expires_at", "accepted_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InvitationRound)
class InvitationRoundAdmin(admin.ModelAdmin):
    list_display = ["created_at", "created_by"]
    readonly_fields = ["created_at", "created_by", "filters"]
    inlines = [InvitationInline]

    def has_add_permission(self, request):
        return False


@admin.register(EmailSuppression)
class EmailSuppressionAdmin(admin.ModelAdmin):
    list_display = ["email", "reason", "created_at"]
    list_filter = ["reason"]
    search_fields = ["email"]
