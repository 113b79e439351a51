from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.account.signals import user_signed_up
        from allauth.mfa.signals import authenticator_added, authenticator_removed
        from django.contrib.auth.signals import user_logged_in

        from . import data
        from .middleware import forget_second_factor, remember_second_factor
        from .roles import sync_groups
        from .signals import apply_preferred_language, remember_signup_language

        data.register()
        authenticator_removed.connect(forget_second_factor, dispatch_uid="accounts.forget_mfa")
        authenticator_added.connect(remember_second_factor, dispatch_uid="accounts.add_mfa")
        user_logged_in.connect(remember_second_factor, dispatch_uid="accounts.login_mfa")
        # Runs after each app's migrations; permissions of later apps are added on their turn.
        post_migrate.connect(sync_groups, dispatch_uid="accounts.sync_groups")
        user_signed_up.connect(remember_signup_language, dispatch_uid="accounts.signup_language")
        # Django's own signal: allauth's sign-in, the admin's and a login after sign-up alike.
        user_logged_in.connect(apply_preferred_language, dispatch_uid="accounts.login_language")
