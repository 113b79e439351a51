from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from categories.models import Category

        from . import directory, parts, personal_data, pictures
        from .models import CoreGroupRole, Member

        parts.register()
        personal_data.connect()

        # The directory page's counts and pages start over whenever a member changes, or a
        # role or category its cards show.
        for model in (Member, CoreGroupRole, Category):
            name = model._meta.model_name
            post_save.connect(directory.changed, sender=model, dispatch_uid=f"directory-{name}")
            post_delete.connect(
                directory.changed, sender=model, dispatch_uid=f"directory-{name}-delete"
            )
        # A deleted profile takes its picture's files with it.
        post_delete.connect(pictures.deleted, sender=Member, dispatch_uid="member-picture-files")
        for field in ("categories", "languages"):
            m2m_changed.connect(
                directory.changed,
                sender=getattr(Member, field).through,
                dispatch_uid=f"directory-{field}",
            )
