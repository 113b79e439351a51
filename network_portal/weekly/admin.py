from django.contrib import admin

from .models import WeeklyEmail, WeeklyEmailDelivery


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WeeklyEmail)
class WeeklyEmailAdmin(ReadOnlyAdmin):
    list_display = ["user", "frequency", "weekday", "chosen_at"]
    list_filter = ["frequency", "weekday"]
    list_select_related = ["user"]
    search_fields = ["user__email"]


@admin.register(WeeklyEmailDelivery)
class WeeklyEmailDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["period", "user", "due_at", "sent_at", "failed_at", "attempts", "last_error"]
    list_filter = ["period"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
