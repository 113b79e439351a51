from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WeeklyConfig(AppConfig):
    name = "network_portal.weekly"
    label = "weekly"
    verbose_name = _("Weekly email")

    def ready(self):
        from . import parts

        parts.register()
