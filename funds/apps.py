from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Funds")

    def ready(self):
        from . import partner_parts, parts, personal_data

        personal_data.connect()

        parts.register()
        partner_parts.register()
