from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from . import directory, parts
        from .models import Member

        parts.register()

        # The directory page's counts start over whenever a member changes.
        post_save.connect(directory.changed, sender=Member, dispatch_uid="directory-save")
        post_delete.connect(directory.changed, sender=Member, dispatch_uid="directory-delete")
        for field in ("categories", "languages"):
            m2m_changed.connect(
                directory.changed,
                sender=getattr(Member, field).through,
                dispatch_uid=f"directory-{field}",
            )
