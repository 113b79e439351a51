from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CategoriesConfig(AppConfig):
    name = "categories"
    verbose_name = _("Skills categories")

    def ready(self):
        from . import parts

        parts.register()
