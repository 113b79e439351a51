from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from funds.forms import BOUNDED_DATES

from . import services
from .models import (
    CoachingSession,
    KnowledgeEntry,
    Registration,
    SessionSeries,
)


class RegistrationInline(admin.TabularInline):
    """Read-only: seats change through the site, where the waitlist is served in order."""

    model = Registration
    fields = ["person", "status", "attended", "queued_at", "created_at"]
    readonly_fields = fields
    ordering = ["status", "queued_at", "pk"]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user__member")

    @admin.display(description=_("participant"))
    def person(self, registration):
        # The display name, never the login email, whoever opens the session.
        return registration.user.display_name


# A link typed without a scheme is https (Django 6's default); dates stay within plausible years.
FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}, **BOUNDED_DATES}


def _created_with(form):
    """The keyword arguments of ``services.session_create``/``series_create`` from ``form``."""
    return {
        "hosts": form.cleaned_data.get("hosts", ()),
        "categories": form.cleaned_data.get("categories", ()),
    }


def _save_inlines(model_admin, request, form, formsets, change):
    """What ``save_related`` does but the many-to-many, which the create services saved."""
    for formset in formsets:
        model_admin.save_formset(request, form, formset, change=change)


@admin.register(CoachingSession)
class CoachingSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "start", "time_zone", "status", "capacity", "series"]
    list_filter = ["status", "kind", "language", "categories"]
    search_fields = ["title", "description"]
    date_hierarchy = "start"
    filter_horizontal = ["hosts", "categories"]
    readonly_fields = ["status", "sequence", "series", "created_at", "updated_at"]
    inlines = [RegistrationInline]
    formfield_overrides = FIELD_OVERRIDES
    actions = ["cancel_sessions"]

    def has_change_permission(self, request, obj=None):
        """Core Group facilitators change the sessions they host; ILO staff change every one."""
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.can_manage(request.user)

    def has_delete_permission(self, request, obj=None):
        """Hosts and ILO staff delete one-off sessions; a series' session is cancelled instead.

        Deleting it would tell nobody registered, and the series would make it again.
        """
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or (obj.series_id is None and obj.can_manage(request.user))

    def save_model(self, request, obj, form, change):
        if change:
            services.session_save(session=obj)
        else:
            services.session_create(session=obj, creator=request.user, **_created_with(form))

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)
        else:
            _save_inlines(self, request, form, formsets, change)

    @admin.action(description=_("Cancel the selected sessions and email their participants"))
    def cancel_sessions(self, request, queryset):
        cancelled = 0
        sessions = queryset.manageable_by(request.user)
        for session in sessions.filter(status=CoachingSession.Status.SCHEDULED):
            services.session_cancel(session=session)
            cancelled += 1
        self.message_user(
            request,
            ngettext("%(count)d session cancelled.", "%(count)d sessions cancelled.", cancelled)
            % {"count": cancelled},
            messages.SUCCESS,
        )


@admin.register(SessionSeries)
class SessionSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "weekday", "start_time", "time_zone", "interval", "is_active"]
    list_filter = ["is_active", "kind"]
    search_fields = ["title"]
    filter_horizontal = ["hosts", "categories"]
    actions = ["generate_sessions"]
    formfield_overrides = FIELD_OVERRIDES

    def has_change_permission(self, request, obj=None):
        """Core Group facilitators change the series they host; ILO staff change every one."""
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.can_manage(request.user)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or obj.can_manage(request.user)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            created = services.series_create(
                series=obj, creator=request.user, **_created_with(form)
            )
            self._sessions_created(request, len(created))

    def save_related(self, request, form, formsets, change):
        if not change:
            _save_inlines(self, request, form, formsets, change)
            return
        super().save_related(request, form, formsets, change)
        # After the hosts and categories, which the new sessions copy.
        created = services.series_generate_sessions(series=form.instance)
        self._sessions_created(request, len(created))

    def _sessions_created(self, request, count):
        if count:
            self.message_user(
                request,
                ngettext("%(count)d session created.", "%(count)d sessions created.", count)
                % {"count": count},
                messages.SUCCESS,
            )

    @admin.action(description=_("Create the coming sessions of the selected series"))
    def generate_sessions(self, request, queryset):
        series = queryset.manageable_by(request.user)
        created = sum(len(services.series_generate_sessions(series=one)) for one in series)
        self.message_user(
            request,
            ngettext("%(count)d session created.", "%(count)d sessions created.", created)
            % {"count": created},
            messages.SUCCESS,
        )


@admin.register(KnowledgeEntry)
class KnowledgeEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "language", "is_public", "author", "updated_at"]
    list_filter = ["kind", "is_public", "language", "categories"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["categories"]
    raw_id_fields = ["session"]
    readonly_fields = ["author", "created_at", "updated_at"]

    def has_change_permission(self, request, obj=None):
        """Authors and hosts change their entries; ILO staff every one, who reads it included."""
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.can_edit(request.user)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or obj.can_edit(request.user)

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
