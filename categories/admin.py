from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """The skills categories: names and definitions in three languages; slugs never change.

    Links and other code rely on the slugs, so a slug is set once, when a category is added.
    """

    list_display = ["name", "slug", "position", "member_count"]
    list_editable = ["position"]
    ordering = ["position", "name"]
    search_fields = ["name", "name_fr", "name_es", "slug"]
    fieldsets = [
        (None, {"fields": ["slug", "position"]}),
        (_("English"), {"fields": ["name", "description"]}),
        (_("French"), {"fields": ["name_fr", "description_fr"]}),
        (_("Spanish"), {"fields": ["name_es", "description_es"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_member_counts()

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, category):
        return category.member_count

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else {"slug": ["name"]}
